import { describe, expect, it } from 'vitest';
import { EventLedger } from '../../src/store/event-ledger.js';
import { MemoryStore } from '../../src/store/memory-store.js';

async function openMemoryStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.open();
  return store;
}

describe('EventLedger', () => {
  it('claims an event once', async () => {
    const ledger = new EventLedger(await openMemoryStore(), { now: () => 1_000 });
    expect(await ledger.claim('matrix', '$e1')).toBe(true);
    expect(await ledger.claim('matrix', '$e1')).toBe(false);
  });

  it('keeps transports apart, also when names contain the separator', async () => {
    const store = await openMemoryStore();
    const ledger = new EventLedger(store);
    expect(await ledger.claim('matrix', '$e1')).toBe(true);
    expect(await ledger.claim('discord', '$e1')).toBe(true);
    expect(await ledger.claim('a/b', 'c')).toBe(true);
    expect(await ledger.claim('a', 'b/c')).toBe(true);
    expect((await store.list('events')).map((entry) => entry.key)).toEqual([
      'a%2Fb/c',
      'a/b/c',
      'discord/$e1',
      'matrix/$e1',
    ]);
  });

  it('lets one of many concurrent claims win', async () => {
    const ledger = new EventLedger(await openMemoryStore());
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.claim('discord', '123')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('records the claim time and prunes claims older than the retention', async () => {
    let now = 10_000;
    const store = await openMemoryStore();
    const ledger = new EventLedger(store, { now: () => now });
    await ledger.claim('matrix', 'old');
    now = 15_000;
    await ledger.claim('matrix', 'edge');
    now = 19_000;
    await ledger.claim('matrix', 'new');
    await store.put('events', 'matrix/garbage', 'not a timestamp');
    expect(await store.get('events', 'matrix/old')).toBe(10_000);

    now = 20_000;
    expect(await ledger.prune(5_000)).toBe(2);
    expect((await store.list('events')).map((entry) => entry.key)).toEqual(['matrix/edge', 'matrix/new']);
    expect(await ledger.claim('matrix', 'old')).toBe(true);
    expect(await ledger.claim('matrix', 'edge')).toBe(false);
    expect(await ledger.prune(5_000)).toBe(0);
  });

  it('remembers claims across a restart of the store', async () => {
    const store = await openMemoryStore();
    expect(await new EventLedger(store).claim('matrix', '$e1')).toBe(true);
    await store.close();
    await store.open();
    const ledger = new EventLedger(store);
    expect(await ledger.claim('matrix', '$e1')).toBe(false);
    expect(await ledger.claim('matrix', '$e2')).toBe(true);
  });
});
