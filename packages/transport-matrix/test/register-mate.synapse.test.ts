import { MemoryStore } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { matrixTransportConfigSchema } from '../src/config.js';
import { registerMate } from '../src/register-mate.js';
import { createMatrixBot } from './helpers/matrix-bot.js';
import { MatrixUser, repliesTo, unique } from './helpers/matrix-user.js';
import { synapseOrSkip } from './helpers/synapse-suite.js';

const synapse = synapseOrSkip('register-mate.synapse');

describe.skipIf(!synapse)('registering a mate by shared secret (real Synapse)', () => {
  it('creates the user, keeps its token in the store, and the bot logs in with it', async () => {
    const s = synapse as NonNullable<typeof synapse>;
    const mate = `ada${unique()}`;
    const section = {
      homeserver: s.url,
      accounts: [{ mate }],
      registrationSharedSecret: s.sharedSecret,
    };
    const store = new MemoryStore();
    await store.open();
    const config = matrixTransportConfigSchema.parse(section);
    const { userId } = await registerMate({ transport: 'matrix', config, mate, store });
    expect(userId).toBe(`@${mate}:${s.serverName}`);
    await expect(registerMate({ transport: 'matrix', config, mate, store })).rejects.toThrow(
      /already registered as @/,
    );
    const noSecret = matrixTransportConfigSchema.parse({ homeserver: s.url, accounts: [{ mate: 'x' }] });
    await expect(registerMate({ transport: 'matrix', config: noSecret, mate: 'x', store })).rejects.toThrow(
      /set registrationSharedSecret/,
    );
    await store.close();

    const alice = await MatrixUser.register(s, `alice-reg-${unique()}`);
    const { bot } = createMatrixBot({
      transport: section,
      mates: [{ name: mate, backend: 'scripted', profile: 'default' }],
      store,
    });
    await bot.start();
    try {
      const room = await alice.createRoom({ invite: [userId], isDirect: true });
      await alice.waitForMembership(room, userId);
      const hi = await alice.sendText(room, 'hi');
      await alice.waitFor(room, (e) => e.sender === userId && repliesTo(e, hi));
    } finally {
      await bot.stop(1000);
    }
  });
});
