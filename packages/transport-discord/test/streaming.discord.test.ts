import { splitMessage } from '@confab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from './discord-world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');

describe('streaming replies through discord.js rate limits', () => {
  it('sends then edits, honours injected 429s and the buckets, and ends with the exact text', async () => {
    world = await startWorld({
      emulator: {
        rateLimits: {
          messageCreate: { limit: 3, windowMs: 1000 },
          messageEdit: { limit: 3, windowMs: 1000 },
        },
      },
      // Faster than the edit bucket allows: discord.js's queue must do the waiting.
      transport: { minEditIntervalMs: 20 },
      profiles: { default: { reply: words, chunkDelayMs: 10 } },
    });
    const { discord, alice, bots, general } = world;
    discord.injectRateLimit({ method: 'PATCH', path: /\/messages\/\d+$/, times: 2, retryAfterMs: 250 });
    discord.injectRateLimit({ method: 'POST', path: /\/messages$/, times: 1, retryAfterMs: 150 });

    const ask = discord.userSays(general.id, alice.id, `<@${bots.ada!.user.id}> talk`);
    await world.waitForEvent('reply.sent', () => true);
    const [reply, ...more] = world.repliesTo(general.id, ask.id);

    expect(more).toEqual([]);
    expect(reply?.content).toBe(words);
    expect(reply?.revisions.length).toBeGreaterThanOrEqual(3);
    expect(reply?.revisions.at(-1)?.content).toBe(words);
    const injected = discord.requests.filter((r) => r.injected);
    expect(injected.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 429', 'PATCH 429', 'PATCH 429']);
    // Not one request went beyond what a bucket allowed.
    expect(discord.overLimitRequests).toBe(0);
    const edits = discord.requests.filter((r) => r.method === 'PATCH' && r.status === 200);
    expect(edits.length).toBe(reply!.revisions.length - 1);
  });

  it("stays inside Discord's own limits with the default edit interval, without a single 429", async () => {
    const slow = Array.from({ length: 40 }, (_, i) => `token${i}`).join(' ');
    world = await startWorld({
      // The emulator's default buckets are Discord's: 5 sends and 5 edits per 5 s per channel.
      transport: { minEditIntervalMs: 1200 },
      profiles: { default: { reply: slow, chunkDelayMs: 100 } },
    });
    const { discord, alice, bots, general } = world;
    const ask = discord.userSays(general.id, alice.id, `<@${bots.ada!.user.id}> go slowly`);
    const sent = await world.waitForEvent('reply.sent', () => true);
    const reply = discord.message(sent.messageIds[0]!)!;

    expect(reply.content).toBe(slow);
    expect(reply.replyToId).toBe(ask.id);
    expect(reply.revisions.length).toBeGreaterThanOrEqual(3);
    expect(discord.requests.filter((r) => r.status === 429)).toEqual([]);
    const edits = discord.requests.filter((r) => r.method === 'PATCH').map((r) => r.at);
    for (let i = 1; i < edits.length; i++) {
      expect(edits[i]! - edits[i - 1]!).toBeGreaterThanOrEqual(1200 - 5);
    }
  });

  it('continues a long reply in further messages of at most 2,000 characters, code fences intact', async () => {
    const code = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i}); // step ${i}`).join(
      '\n',
    );
    const prose = 'This sentence is part of a long answer. '.repeat(60);
    const long = `${prose}\n\n\`\`\`ts\n${code}\n\`\`\`\n\n${prose}`;
    world = await startWorld({
      emulator: { rateLimits: { messageCreate: { limit: 5, windowMs: 1000 } } },
      profiles: { default: { reply: long, chunkSize: 400 } },
    });
    const { discord, alice, bots, general } = world;
    const ask = discord.userSays(general.id, alice.id, `<@${bots.ada!.user.id}> explain`);
    const sent = await world.waitForEvent('reply.sent', () => true);
    const posted = sent.messageIds.map((id) => discord.message(id)!);

    expect(long.length).toBeGreaterThan(4000);
    const expected = splitMessage(long, 2000);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(posted.map((m) => m.content)).toEqual(expected);
    for (const message of posted) {
      expect(message.content.length).toBeLessThanOrEqual(2000);
      expect((message.content.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    // Only the first message replies to the question; continuations follow it.
    expect(posted[0]?.replyToId).toBe(ask.id);
    expect(posted.slice(1).every((m) => m.replyToId === undefined)).toBe(true);
    expect(discord.overLimitRequests).toBe(0);
  });
});
