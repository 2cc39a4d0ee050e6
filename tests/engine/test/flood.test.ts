import { describe, expect, it } from 'vitest';
import { startBot } from './helpers.js';

describe('fairness under a flood', () => {
  const cases = [
    { name: 'in one conversation', thread: (_i: number) => undefined },
    // Each in its own thread, so per-conversation ordering alone cannot hold the flooder back.
    { name: 'across 200 threads', thread: (i: number) => `t${i}` },
  ];
  for (const c of cases)
    it(`one user sends 200 messages ${c.name} while 9 send one: each of the 9 is answered before the flooder's 5th reply`, async () => {
      const { transport, bot } = await startBot({
        config: { scheduler: { maxPerUser: 500, maxQueue: 1000 } },
        profiles: { default: { workers: 2, parallel: 1, chunkDelayMs: 1, reply: 'ok {text}' } },
      });
      const order: string[] = [];
      bot.events.on('reply.sent', (e) => order.push(e.text));
      const flood = Array.from({ length: 200 }, (_, i) => {
        const threadId = c.thread(i);
        return transport.inject({
          text: `@ada flood ${i}`,
          from: 'u:flooder',
          ...(threadId ? { threadId } : {}),
        });
      });
      const others = Array.from({ length: 9 }, (_, i) =>
        transport.inject({ text: `@ada other ${i}`, from: `u:other${i}` }),
      );
      await Promise.all([...flood, ...others]);
      expect(order).toHaveLength(209);
      const lastOther = Math.max(...order.map((t, i) => (t.startsWith('ok other') ? i : -1)));
      const flooderBefore = order.slice(0, lastOther).filter((t) => t.startsWith('ok flood')).length;
      expect(flooderBefore).toBeLessThan(5);
    });
});
