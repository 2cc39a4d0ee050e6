import { StoreNamespaces } from '@confab/core';
import { describe, expect, it, vi } from 'vitest';
import { HeldStore, startBot } from './helpers.js';

/** What happened, in order: `queued <text>`, `started <text>`, `sent <reply>`. */
function recordJobs(bot: Awaited<ReturnType<typeof startBot>>['bot']): string[] {
  const log: string[] = [];
  // Job ids are `<transport>:<message id>:<mate>`; the message id names the message well enough.
  const name = (jobId: string) => jobId.split(':')[1] ?? jobId;
  bot.events.on('job.queued', (e) => log.push(`queued ${name(e.jobId)}`));
  bot.events.on('job.started', (e) => log.push(`started ${name(e.jobId)}`));
  bot.events.on('reply.sent', (e) => log.push(`sent ${name(e.jobId)}`));
  return log;
}

/** m-a from u:a and m-b from u:b, sent at once: the promises of their handling. */
function sendTwo(transport: Awaited<ReturnType<typeof startBot>>['transport']) {
  return [
    transport.inject({ id: 'm-a', text: '@ada hi', from: 'u:a' }),
    transport.inject({ id: 'm-b', text: '@ada hi', from: 'u:b' }),
  ];
}

describe('intake gate', () => {
  it('a message whose job waits for a worker gives its place back, so later messages reach the queue', async () => {
    const { transport, bot } = await startBot({
      config: { engine: { intake: { concurrency: 2, releaseAfterMs: 60_000 } } },
      profiles: { default: { workers: 1, parallel: 1, chunkDelayMs: 20, reply: 'one two three' } },
    });
    const log = recordJobs(bot);
    const sent = ['a', 'b', 'c', 'd'].map((user) =>
      transport.inject({ id: `m-${user}`, text: '@ada hi', from: `u:${user}` }),
    );
    await Promise.all(sent);
    const firstReply = log.findIndex((entry) => entry.startsWith('sent'));
    const queued = log.filter((entry, i) => entry.startsWith('queued') && i < firstReply);
    // m-a runs and keeps its place; m-b, m-c and m-d queue behind it, each giving its place back.
    expect(queued).toEqual(['queued m-a', 'queued m-b', 'queued m-c', 'queued m-d']);
    expect(log.filter((entry) => entry.startsWith('sent'))).toHaveLength(4);
  });

  it('a message waits for a place while the engine works on as many as it admits', async () => {
    const { transport, bot } = await startBot({
      config: { engine: { intake: { concurrency: 1, releaseAfterMs: 60_000 } } },
      profiles: { default: { workers: 2, parallel: 1, chunkDelayMs: 20, reply: 'one two three' } },
    });
    const log = recordJobs(bot);
    await Promise.all(sendTwo(transport));
    // A free worker was there for m-b, but m-a held the only place until its reply was out.
    expect(log.indexOf('queued m-b')).toBeGreaterThan(log.indexOf('sent m-a'));
  });

  it('a reply slower than releaseAfterMs stops holding its place', async () => {
    const { transport, bot } = await startBot({
      config: { engine: { intake: { concurrency: 1, releaseAfterMs: 30 } } },
      profiles: { default: { workers: 2, parallel: 1, chunkDelayMs: 50, reply: 'one two three' } },
    });
    const log = recordJobs(bot);
    await Promise.all(sendTwo(transport));
    // m-a's reply takes 150 ms; after 30 of them m-b was let in and started on the second worker.
    expect(log.indexOf('started m-b')).toBeGreaterThan(-1);
    expect(log.indexOf('started m-b')).toBeLessThan(log.indexOf('sent m-a'));
  });

  it('with concurrency 0 every message is admitted at once', async () => {
    const { transport, bot } = await startBot({
      config: { engine: { intake: { concurrency: 0 } } },
      profiles: { default: { workers: 2, parallel: 1, chunkDelayMs: 20, reply: 'one two three' } },
    });
    const log = recordJobs(bot);
    await Promise.all(sendTwo(transport));
    expect(log.slice(0, 4).sort()).toEqual(['queued m-a', 'queued m-b', 'started m-a', 'started m-b']);
  });

  it('a message waiting for its history to be stored holds no place', async () => {
    const store = new HeldStore('put', StoreNamespaces.history);
    const { transport, bot } = await startBot({
      store,
      config: { engine: { intake: { concurrency: 1, releaseAfterMs: 60_000 } } },
      profiles: { default: { workers: 2, parallel: 1, reply: 'hello' } },
    });
    const log = recordJobs(bot);
    let handled = false;
    const handling = Promise.all(sendTwo(transport)).then(() => {
      handled = true;
    });
    // Both are answered while none of their history has reached the store: waiting for it took
    // no place, or m-b would wait for m-a's writes.
    await vi.waitFor(() => expect(log.filter((entry) => entry.startsWith('sent'))).toHaveLength(2));
    expect(store.held).toBe(4);
    // The handling of a message ends once its history is stored, so a stopping bot waits for it.
    expect(handled).toBe(false);
    store.letThrough();
    await handling;
    const pages = await store.list<unknown[]>(StoreNamespaces.history);
    expect(pages.flatMap((page) => page.value)).toHaveLength(4);
  });
});
