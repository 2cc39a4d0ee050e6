import { createLogger } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { createMatrixBot } from './helpers/matrix-bot.js';
import { MatrixUser, unique } from './helpers/matrix-user.js';
import { synapseOrSkip } from './helpers/synapse-suite.js';

const synapse = synapseOrSkip('quiet-start.synapse');

describe.skipIf(!synapse)('matrix start-up logs (real Synapse)', () => {
  it('logs no warnings or errors on a first start of a fresh account', async () => {
    const s = synapse as NonNullable<typeof synapse>;
    const ada = await MatrixUser.register(s, `ada-quiet-${unique()}`);
    const lines: { level: number; msg?: string }[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    const { bot } = createMatrixBot({
      transport: { homeserver: s.url, accounts: [{ mate: 'ada', accessToken: ada.accessToken }] },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default' }],
      logger,
    });
    await bot.start();
    try {
      // start() resolves before the first sync is handled; give it time to run and log.
      const alice = await MatrixUser.register(s, `alice-quiet-${unique()}`);
      const room = await alice.createRoom({ invite: [ada.userId] });
      await alice.waitForMembership(room, ada.userId);
    } finally {
      await bot.stop(1000);
    }
    // pino levels: 40 warn, 50 error, 60 fatal.
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
  });
});
