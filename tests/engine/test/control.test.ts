import { StoreNamespaces } from '@confab/core';
import { createTestBot } from '@confab/testkit';
import { describe, expect, it, vi } from 'vitest';
import { HeldStore, sleep, startBot, twoMates } from './helpers.js';

describe('cancellation, timeouts and failures', () => {
  it('!stop cancels the reply being written and silences the room', async () => {
    const { transport, backend, bot } = await startBot({
      profiles: { default: { chunkDelayMs: 30, reply: 'a b c d e f g h i j k l m n o p' } },
      transport: { admins: ['u:admin'] },
    });
    const cancelled: string[] = [];
    bot.events.on('job.cancelled', (e) => cancelled.push(e.reason));
    const pending = transport.inject({ text: '@ada talk a lot' });
    await transport.waitFor(() => (transport.botMessages()[0]?.text.length ?? 0) > 0);
    await transport.inject({ text: '!stop', from: 'u:admin' });
    await pending;
    expect(cancelled).toEqual(['stopped by u:admin']);
    const reply = transport.botMessages()[0];
    expect(reply?.text.length).toBeLessThan('a b c d e f g h i j k l m n o p'.length);
    await transport.inject({ text: '@ada hello?' });
    expect(backend.calls).toHaveLength(1);
  });

  it('!stop also silences a message still on its way to the scheduler', async () => {
    const store = new HeldStore('get', StoreNamespaces.resets);
    const { transport, backend, bot } = await startBot({ store, transport: { admins: ['u:admin'] } });
    const dropped: string[] = [];
    bot.events.on('message.dropped', (e) => {
      if (e.message.id === 'm-1') dropped.push(e.reason);
    });
    // m-1 is claimed and admitted, then waits for its conversation's state while !stop runs.
    const pending = transport.inject({ id: 'm-1', text: '@ada hi' });
    await vi.waitFor(() => expect(store.held).toBe(1));
    await transport.inject({ text: '!stop', from: 'u:admin' });
    store.letThrough();
    await pending;
    expect(dropped).toEqual(['room-stopped']);
    expect(backend.calls).toHaveLength(0);
    expect(transport.botMessages().map((m) => m.text)).toEqual([
      '⏹️ The mates are silent in this room until !start.',
    ]);
  });

  it('a message sent together with !start is answered, and one sent with !stop is not', async () => {
    const { transport, backend } = await startBot({ transport: { admins: ['u:admin'] } });
    await transport.inject({ text: '!stop', from: 'u:admin' });
    // Pasted together: the message arrives while !start is still being handled.
    await Promise.all([
      transport.inject({ text: '!start', from: 'u:admin' }),
      transport.inject({ text: '@ada are you back?' }),
    ]);
    expect(backend.calls.map((c) => c.messages.at(-1)?.content)).toEqual(['are you back?']);
    await Promise.all([
      transport.inject({ text: '!stop', from: 'u:admin' }),
      transport.inject({ text: '@ada and now?' }),
    ]);
    expect(backend.calls).toHaveLength(1);
  });

  it('tells the author of a message still waiting for the model that the bot is restarting', async () => {
    const { transport, bot } = await startBot({
      profiles: { default: { parallel: 1, chunkDelayMs: 40, reply: 'one two three four five' } },
    });
    const first = transport.inject({ text: '@ada first', from: 'u:alice' });
    await transport.waitFor(() => transport.botMessages().length > 0);
    const second = transport.inject({ text: '@ada second', from: 'u:bob' });
    await transport.waitFor(() => bot.scheduler.stats()[0]?.waiting === 1);
    await bot.stop(5_000);
    await Promise.all([first, second]);
    const texts = transport.botMessages().map((m) => [m.replyTo, m.text]);
    expect(texts).toContainEqual([
      expect.any(String),
      "🔄 I'm restarting and couldn't get to this. Please send it again in a minute.",
    ]);
    expect(texts.filter(([, text]) => text === 'one two three four five')).toHaveLength(1);
  });

  it('a superseding message cancels the previous job when configured', async () => {
    const { transport, bot } = await startBot({
      config: { engine: { supersede: true } },
      profiles: { default: { chunkDelayMs: 20, reply: 'one two three four five six seven eight' } },
    });
    const cancelled: string[] = [];
    bot.events.on('job.cancelled', (e) => cancelled.push(e.reason));
    const first = transport.inject({ text: '@ada first' });
    await sleep(50);
    await transport.inject({ text: '@ada second' });
    await first;
    expect(cancelled).toEqual(['superseded by a newer message']);
    expect(transport.botMessages().at(-1)?.text).toBe('one two three four five six seven eight');
  });

  it('a job that runs too long times out with one short message', async () => {
    const { transport, bot } = await startBot({
      config: { scheduler: { jobTimeoutMs: 100 } },
      profiles: { default: { chunkDelayMs: 1000, reply: 'slow slow' } },
    });
    const failures: string[] = [];
    bot.events.on('job.failed', (e) => failures.push(e.kind));
    await transport.inject({ text: '@ada hi' });
    expect(failures).toEqual(['timeout']);
    expect(transport.botMessages().map((m) => m.text)).toEqual([
      '⚠️ That took too long, so I stopped. Try again, perhaps with a shorter question.',
    ]);
  });

  it('a backend error reaches the user as one short message, without details', async () => {
    const { transport, backend } = await startBot();
    backend.failNextWith('unavailable');
    await transport.inject({ text: '@ada hi' });
    expect(transport.botMessages().map((m) => m.text)).toEqual([
      '⚠️ The model server is unavailable right now. Try again in a moment.',
    ]);
  });

  it('a full queue answers "busy" with the limit', async () => {
    const { transport } = await startBot({
      config: { scheduler: { maxQueue: 1 } },
      profiles: { default: { chunkDelayMs: 50, workers: 1, parallel: 1, reply: 'x y' } },
    });
    const all = Promise.all([
      transport.inject({ text: '@ada 1', from: 'u:a' }),
      transport.inject({ text: '@ada 2', from: 'u:b' }),
      transport.inject({ text: '@ada 3', from: 'u:c' }),
    ]);
    await all;
    const texts = transport.botMessages().map((m) => m.text);
    expect(texts.filter((t) => t === 'x y')).toHaveLength(2);
    expect(texts).toContain(
      "⏳ I'm busy: 1 requests are already waiting (limit 1). Please try again shortly.",
    );
  });

  it('the per-user limit bounds one person', async () => {
    const { transport } = await startBot({
      config: { scheduler: { maxPerUser: 2 } },
      profiles: { default: { chunkDelayMs: 20, workers: 1, parallel: 1, reply: 'ok' } },
    });
    await Promise.all([1, 2, 3].map((i) => transport.inject({ text: `@ada ${i}`, roomId: `r${i}` })));
    const texts = transport.botMessages().map((m) => m.text);
    expect(texts.filter((t) => t === 'ok')).toHaveLength(2);
    expect(
      texts.filter((t) => t.startsWith('⏳ You already have 2 requests in progress (limit 2)')),
    ).toHaveLength(1);
  });
});

describe('bot-to-bot', () => {
  it('mates answer each other only within the turn budget per human message', async () => {
    const mates = twoMates.map((m) => ({ ...m, scope: 'per-room' }));
    const { transport, backend } = await startBot({
      config: { mates, engine: { botToBot: { enabled: true, turnBudget: 3, cooldownMs: 0 } } },
      profiles: {
        default: {
          rules: [
            { match: 'ping', reply: '@bob pong' },
            { match: 'pong', reply: '@ada ping' },
          ],
        },
      },
    });
    await transport.inject({ text: '@ada ping' });
    await transport.waitFor(() => backend.calls.length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The human's message, then exactly three bot-to-bot turns.
    expect(backend.calls).toHaveLength(4);
    expect(transport.botMessages().map((m) => `${m.mate}:${m.text}`)).toEqual([
      'ada:@bob pong',
      'bob:@ada ping',
      'ada:@bob pong',
      'bob:@ada ping',
    ]);
    // A new human message renews the budget.
    await transport.inject({ text: '@ada ping' });
    await transport.waitFor(() => backend.calls.length >= 8);
  });

  it('!bots off in a room stops mates answering each other there', async () => {
    const { transport, backend } = await startBot({
      config: { mates: twoMates, engine: { botToBot: { enabled: true, cooldownMs: 0 } } },
      profiles: { default: { reply: '@bob over to you' } },
      transport: { admins: ['u:admin'] },
    });
    await transport.inject({ text: '!bots off', from: 'u:admin' });
    await transport.inject({ text: '@ada go' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.calls).toHaveLength(1);
  });
});

describe('stopping the bot', () => {
  it('leaves no timer behind, so a program that stops its bot can exit', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const { bot, transport } = createTestBot();
    await bot.start();
    await transport.inject({ text: '@ada hi' });
    await bot.stop(10_000);
    expect(timers()).toBe(before);
  });
});
