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
});
