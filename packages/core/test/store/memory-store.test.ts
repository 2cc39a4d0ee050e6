import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('MemoryStore', async () => {
  const store = new MemoryStore();
  await store.open();
  return { store, dispose: () => store.close() };
});

describe('MemoryStore', () => {
  it('refuses use before open', async () => {
    await expect(new MemoryStore().get('rooms', 'r')).rejects.toThrow(/not open; call open\(\) first/);
  });

  it('keeps its data across close and open, like a restart', async () => {
    const store = new MemoryStore();
    await store.open();
    await store.put('rooms', 'r', { started: true });
    await store.close();
    await store.open();
    expect(await store.get('rooms', 'r')).toEqual({ started: true });
    expect(await store.putIfAbsent('rooms', 'r', {})).toBe(false);
  });

  it('keeps a frozen record as given, and still reads out JSON copies of it', async () => {
    const store = new MemoryStore();
    await store.open();
    const message = Object.freeze({ id: 'e1', content: 'hi', name: undefined, score: Number.NaN });
    await store.put('history', 'k', message);
    const [read, again] = [
      await store.get<Record<string, unknown>>('history', 'k'),
      await store.get('history', 'k'),
    ];
    expect(read).toStrictEqual({ id: 'e1', content: 'hi', score: null });
    expect(read).not.toBe(message);
    expect(read).not.toBe(again);
    expect(Object.isFrozen(read)).toBe(false);
    const [entry] = await store.list<Record<string, unknown>>('history');
    expect(entry?.value).toStrictEqual({ id: 'e1', content: 'hi', score: null });
  });

  it('keeps a frozen list of frozen records as given, and reads out JSON copies of it', async () => {
    const store = new MemoryStore();
    await store.open();
    const page = Object.freeze([Object.freeze({ id: 'e1', name: undefined }), Object.freeze({ id: 'e2' })]);
    await store.put('history', 'k', page);
    const read = await store.get<Record<string, unknown>[]>('history', 'k');
    expect(read).toStrictEqual([{ id: 'e1' }, { id: 'e2' }]);
    expect(read).not.toBe(page);
    expect(read?.[1]).not.toBe(page[1]);
    expect(Object.isFrozen(read)).toBe(false);
  });
});
