import { FairQueue } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { startBot } from './helpers.js';

type J = { id: string; user: string; conversation: string; priority: 'human' | 'bot' };
const job = (
  id: string,
  user: string,
  priority: 'human' | 'bot' = 'human',
  conversation = `${user}-${id}`,
): J => ({
  id,
  user,
  conversation,
  priority,
});

describe('FairQueue', () => {
  it('serves users round-robin and humans before bot turns', () => {
    const q = new FairQueue<J>();
    for (const j of [
      job('a1', 'a'),
      job('a2', 'a'),
      job('a3', 'a'),
      job('b1', 'b'),
      job('x1', 'bot', 'bot'),
      job('c1', 'c'),
    ])
      q.push(j);
    const order: string[] = [];
    for (let next = q.take(); next; next = q.take()) order.push(next.id);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'a3', 'x1']);
  });

  it('predicts positions in serving order', () => {
    const q = new FairQueue<J>();
    const jobs = [
      job('a1', 'a'),
      job('a2', 'a'),
      job('a3', 'a'),
      job('b1', 'b'),
      job('c1', 'c'),
      job('x1', 'bot', 'bot'),
    ];
    for (const j of jobs) q.push(j);
    expect(jobs.map((j) => q.positionOf(j))).toEqual([1, 4, 5, 2, 3, 6]);
  });

  it('keeps the order of one conversation and skips busy conversations', () => {
    const q = new FairQueue<J>();
    q.push(job('1', 'a', 'human', 'conv'));
    q.push(job('2', 'a', 'human', 'conv'));
    q.push(job('3', 'a', 'human', 'other'));
    expect(q.take((j) => j.conversation !== 'conv')?.id).toBe('3');
    expect(q.take()?.id).toBe('1');
    expect(q.take()?.id).toBe('2');
  });

  it('removes cancelled jobs', () => {
    const q = new FairQueue<J>();
    q.push(job('1', 'a'));
    q.push(job('2', 'b'));
    expect(q.remove((j) => j.user === 'a').map((j) => j.id)).toEqual(['1']);
    expect(q.size).toBe(1);
    expect(q.take()?.id).toBe('2');
  });
});

describe('LocalScheduler batching knobs', () => {
  it('waits for minJobs to fill a batch, then starts them together', async () => {
    const { transport, backend } = await startBot({
      config: { scheduler: { batching: { minJobs: 4, maxWaitMs: 5000 } } },
      profiles: { default: { workers: 1, parallel: 4, chunkDelayMs: 20, reply: 'a b c' } },
    });
    const replies = [1, 2, 3].map((i) => transport.inject({ text: `@ada ${i}`, from: `u:${i}` }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(backend.calls).toHaveLength(0);
    replies.push(transport.inject({ text: '@ada 4', from: 'u:4' }));
    await Promise.all(replies);
    expect(backend.peakActive).toBe(4);
    const starts = backend.calls.map((c) => c.startedAt);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(30);
  });

  it('starts a partial batch after maxWaitMs', async () => {
    const { transport, backend } = await startBot({
      config: { scheduler: { batching: { minJobs: 4, maxWaitMs: 150 } } },
      profiles: { default: { workers: 1, parallel: 4 } },
    });
    const sent = Date.now();
    await transport.inject({ text: '@ada alone' });
    expect(backend.calls).toHaveLength(1);
    expect((backend.calls[0]?.startedAt ?? 0) - sent).toBeGreaterThanOrEqual(140);
  });

  it('runs at most workers x parallel jobs at once', async () => {
    const { transport, backend } = await startBot({
      config: { scheduler: { maxPerUser: 100 } },
      profiles: { default: { workers: 2, parallel: 3, chunkDelayMs: 5, reply: 'a b c d' } },
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => transport.inject({ text: `@ada ${i}`, from: `u:${i}` })),
    );
    expect(backend.peakActive).toBe(6);
    expect(backend.calls).toHaveLength(20);
  });
});

describe('LocalScheduler and a backend that throws', () => {
  it('tells the user briefly, frees the slot and keeps serving', async () => {
    const { transport, backend, bot } = await startBot({
      profiles: { default: { workers: 1, parallel: 1 } },
    });
    const failed: string[] = [];
    bot.events.on('job.failed', (e) => failed.push(e.kind));
    backend.crashNext('segfault in the model runtime');
    await transport.inject({ text: '@ada crash' });
    expect(failed).toEqual(['internal']);
    expect(transport.botMessages().at(-1)?.text).toBe(
      '⚠️ Something went wrong while answering. The operator can find the details in the log.',
    );
    await transport.inject({ text: '@ada again' });
    expect(transport.botMessages().at(-1)?.text).toBe('You said: again');
    await transport.inject({ text: '!status' });
    expect(transport.botMessages().at(-1)?.text).toContain('0 running, 0 waiting, 1/1 workers alive');
  });
});
