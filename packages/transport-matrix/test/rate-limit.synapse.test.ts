import { createLogger, MemoryStore } from '@confab/core';
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
    const store = new MemoryStore();
    const options = {
      transport: {
        homeserver: s.url,
        accounts: [{ mate: 'ada', accessToken: ada.accessToken }],
        typing: false,
      },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default' }],
      profiles: { default: { reply: 'ok {text}', chunkSize: 1000 } },
      store,
      logger,
    };
    // Join the DM, then stop: the five questions are waiting when the bot comes back, so they
    // arrive in one sync and the replies go out together, however fast or slow the machine is.
    const first = createMatrixBot(options);
    await first.bot.start();
    const room = await alice.createRoom({ invite: [ada.userId], isDirect: true });
    try {
      await alice.waitForMembership(room, ada.userId);
    } finally {
      await first.bot.stop(1000);
    }
    const asked: string[] = [];
    for (let i = 1; i <= 5; i++) asked.push(await alice.sendText(room, `m${i}`));
    const { bot } = createMatrixBot(options);
    await bot.start();
    try {
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
