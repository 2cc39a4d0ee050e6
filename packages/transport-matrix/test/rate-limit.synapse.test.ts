import { createLogger } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { createMatrixBot } from './helpers/matrix-bot.js';
import { MatrixUser, repliesTo, shownText, unique } from './helpers/matrix-user.js';
import { synapseOrSkip } from './helpers/synapse-suite.js';

const synapse = synapseOrSkip('rate-limit.synapse');

describe.skipIf(!synapse)('matrix rate limits (real Synapse)', () => {
  it('honours M_LIMIT_EXCEEDED and retry_after_ms: every reply arrives, after waiting', async () => {
    const s = synapse as NonNullable<typeof synapse>;
    const id = unique();
    const admin = await MatrixUser.register(s, `admin-${id}`, { admin: true });
    const alice = await MatrixUser.register(s, `alice-rl-${id}`);
    const ada = await MatrixUser.register(s, `ada-rl-${id}`);
    // The test homeserver's limits are raised for everyone; this mate gets Synapse's per-user
    // override back down to one message a second.
    await admin.request(
      'POST',
      `/_synapse/admin/v1/users/${encodeURIComponent(ada.userId)}/override_ratelimit`,
      {
        messages_per_second: 1,
        burst_count: 1,
      },
    );
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => lines.push(line) } as never,
    });
    const { bot } = createMatrixBot({
      transport: {
        homeserver: s.url,
        accounts: [{ mate: 'ada', accessToken: ada.accessToken }],
        typing: false,
      },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default' }],
      profiles: { default: { reply: 'ok {text}', chunkSize: 1000 } },
      logger,
    });
    await bot.start();
    try {
      const room = await alice.createRoom({ invite: [ada.userId], isDirect: true });
      await alice.waitForMembership(room, ada.userId);
      const asked = [
        await alice.sendText(room, 'm1'),
        await alice.sendText(room, 'm2'),
        await alice.sendText(room, 'm3'),
      ];
      for (const [i, id] of asked.entries()) {
        await alice.waitFor(
          room,
          (e) => e.sender === ada.userId && repliesTo(e, id) && shownText(e) === `ok m${i + 1}`,
          60_000,
        );
      }
      const limited = lines
        .map((l) => JSON.parse(l) as { msg: string; waitMs?: number })
        .filter((l) => l.msg.startsWith('matrix: rate limited'));
      expect(limited.length).toBeGreaterThan(0);
      expect(limited.every((l) => typeof l.waitMs === 'number' && l.waitMs > 0)).toBe(true);
      const events = await alice.messages(room);
      for (const id of asked)
        expect(events.filter((e) => e.sender === ada.userId && repliesTo(e, id))).toHaveLength(1);
    } finally {
      await bot.stop(1000);
    }
  });
});
