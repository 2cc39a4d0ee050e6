import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';

// The Store contract every store shares runs against MemoryStore in @confab/testkit's tests
// (test/store-contract.test.ts), where the contract lives: core cannot depend on the testkit.

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

  it('gives back what a JSON round trip gives, as a store on disk does', async () => {
    const store = new MemoryStore();
    await store.open();
    const message = Object.freeze({ id: 'e1', content: 'hi', name: undefined, score: Number.NaN });
    await store.put('history', 'k', message);
    const read = await store.get<Record<string, unknown>>('history', 'k');
    expect(read).toStrictEqual({ id: 'e1', content: 'hi', score: null });
    expect(Object.isFrozen(read)).toBe(false);
    await store.put('history', 'when', new Date(0));
    expect(await store.get('history', 'when')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('refuses a value that has no JSON form', async () => {
    const store = new MemoryStore();
    await store.open();
    await expect(store.put('rooms', 'r', () => 1)).rejects.toThrow(/no JSON form/);
    await expect(store.put('rooms', 'r', 1n)).rejects.toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    await expect(store.putIfAbsent('rooms', 'r', cycle)).rejects.toThrow(/circular/);
    expect(await store.get('rooms', 'r')).toBeUndefined();
  });
});
