import { latestSchemaVersion, MAX_STORE_KEY_BYTES, STORE_MIGRATIONS, type Store } from '@confab/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** A fresh, opened store and how to dispose of it. */
export interface StoreFixture {
  readonly store: Store;
  dispose(): Promise<void>;
}

/**
 * Registers vitest tests of the behaviour every {@link Store} implementation must share: JSON
 * values handed out as copies, keys listed by prefix in UTF-8 byte order (reversed, limited),
 * namespaces kept apart, `putIfAbsent` won by exactly one of concurrent callers, the keys and
 * values no store can hold refused, the schema version recorded at open, use after close refused.
 *
 * ```ts
 * describeStoreContract('MyStore', async () => {
 *   const store = new MyStore();
 *   await store.open();
 *   return { store, dispose: () => store.close() };
 * });
 * ```
 *
 * @param createFixture makes a fresh, opened store for each test.
 */
export function describeStoreContract(name: string, createFixture: () => Promise<StoreFixture>): void {
  describe(`${name}: Store contract`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.dispose();
    });

    it('returns undefined for a missing key', async () => {
      expect(await store.get('rooms', 'nope')).toBeUndefined();
    });

    it('round-trips nested JSON values', async () => {
      const value = {
        started: true,
        mate: 'ada',
        profiles: { ada: 'small', 'grace hopper': null },
        history: [1, -2.5, 'три', { deep: [[], {}, ''] }],
        emoji: 'café 😀',
      };
      await store.put('rooms', 'matrix/!room:example.org', value);
      expect(await store.get('rooms', 'matrix/!room:example.org')).toEqual(value);

      for (const scalar of [0, 42, 'text', '', true, false, null]) {
        await store.put('meta', 'scalar', scalar);
        expect(await store.get('meta', 'scalar')).toEqual(scalar);
      }
    });

    it('overwrites on put', async () => {
      await store.put('rooms', 'r', { v: 1 });
      await store.put('rooms', 'r', { v: 2 });
      expect(await store.get('rooms', 'r')).toEqual({ v: 2 });
    });

    it('hands out copies, never its own state', async () => {
      const value = { list: [1, 2] };
      await store.put('rooms', 'r', value);
      value.list.push(3);
      const read = await store.get<{ list: number[] }>('rooms', 'r');
      read?.list.push(4);
      expect(await store.get('rooms', 'r')).toEqual({ list: [1, 2] });
      const [entry] = await store.list<{ list: number[] }>('rooms');
      entry?.value.list.push(5);
      expect(await store.get('rooms', 'r')).toEqual({ list: [1, 2] });
    });

    it('accepts the empty key and keys with separators and NUL', async () => {
      for (const key of ['', '/', 'a\0b', 'matrix/!r:x/$event']) {
        await store.put('rooms', key, key);
        expect(await store.get('rooms', key)).toBe(key);
      }
    });

    it('deletes, reporting whether the key existed', async () => {
      await store.put('resets', 'c', 1);
      expect(await store.delete('resets', 'c')).toBe(true);
      expect(await store.get('resets', 'c')).toBeUndefined();
      expect(await store.delete('resets', 'c')).toBe(false);
      expect(await store.delete('never-used', 'c')).toBe(false);
    });

    it('keeps namespaces apart, also ones that prefix each other', async () => {
      await store.put('a', 'k', 'in a');
      await store.put('ab', 'k', 'in ab');
      await store.put('a', 'bk', 'in a too');
      expect(await store.get('a', 'k')).toBe('in a');
      expect(await store.get('ab', 'k')).toBe('in ab');
      expect(await store.list('a')).toEqual([
        { key: 'bk', value: 'in a too' },
        { key: 'k', value: 'in a' },
      ]);
      expect(await store.list('ab')).toEqual([{ key: 'k', value: 'in ab' }]);
      expect(await store.list('b')).toEqual([]);
    });

    it('lists a prefix in key order (UTF-8 byte order, that is code point order)', async () => {
      const keys = ['b', 'a', 'aa', 'a/', 'a/x', 'é', '\uffff', '😀', '', 'A', 'a0'];
      for (const [index, key] of keys.entries()) await store.put('snapshots', key, index);
      await store.put('snapshots-other', 'a', 'not listed');

      const all = await store.list<number>('snapshots');
      expect(all.map((entry) => entry.key)).toEqual([
        '',
        'A',
        'a',
        'a/',
        'a/x',
        'a0',
        'aa',
        'b',
        'é',
        '\uffff',
        '😀',
      ]);
      expect(all.find((entry) => entry.key === 'aa')?.value).toBe(keys.indexOf('aa'));

      expect((await store.list('snapshots', 'a')).map((entry) => entry.key)).toEqual([
        'a',
        'a/',
        'a/x',
        'a0',
        'aa',
      ]);
      expect((await store.list('snapshots', 'a/')).map((entry) => entry.key)).toEqual(['a/', 'a/x']);
      expect((await store.list('snapshots', '\uffff')).map((entry) => entry.key)).toEqual(['\uffff']);
      expect(await store.list('snapshots', 'zz')).toEqual([]);
    });

    it('lists in reverse and with a limit', async () => {
      for (const key of ['a', 'a/1', 'a/2', 'a/3', 'a0', 'b']) await store.put('history', key, key);
      const keys = async (prefix: string, options: { reverse?: boolean; limit?: number }) =>
        (await store.list<string>('history', prefix, options)).map((entry) => entry.key);
      expect(await keys('a/', { reverse: true })).toEqual(['a/3', 'a/2', 'a/1']);
      expect(await keys('a/', { reverse: true, limit: 2 })).toEqual(['a/3', 'a/2']);
      expect(await keys('a/', { limit: 2 })).toEqual(['a/1', 'a/2']);
      expect(await keys('', { reverse: true, limit: 3 })).toEqual(['b', 'a0', 'a/3']);
      expect(await keys('a0', { reverse: true })).toEqual(['a0']);
      expect(await keys('c', { reverse: true })).toEqual([]);
    });

    it('putIfAbsent writes only a missing key', async () => {
      expect(await store.putIfAbsent('events', 'e1', 100)).toBe(true);
      expect(await store.putIfAbsent('events', 'e1', 200)).toBe(false);
      expect(await store.get('events', 'e1')).toBe(100);
      await store.delete('events', 'e1');
      expect(await store.putIfAbsent('events', 'e1', 300)).toBe(true);
      expect(await store.get('events', 'e1')).toBe(300);
    });

    it('putIfAbsent from many concurrent callers lets exactly one win', async () => {
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, index) => store.putIfAbsent('events', 'same', { index })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await store.get('events', 'same')).toEqual({ index: winner });

      const distinct = await Promise.all(
        Array.from({ length: 32 }, (_, index) => store.putIfAbsent('events', `e${index}`, index)),
      );
      expect(distinct.every(Boolean)).toBe(true);
    });

    it('rejects what no store can hold', async () => {
      await expect(store.put('rooms', 'r', undefined)).rejects.toThrow(/undefined; use delete/);
      await expect(store.putIfAbsent('rooms', 'r', undefined)).rejects.toThrow(TypeError);
      await expect(store.get('', 'r')).rejects.toThrow(/namespace/);
      await expect(store.put('a\0b', 'r', 1)).rejects.toThrow(/namespace/);
      await expect(store.put('rooms', 'lone \ud800', 1)).rejects.toThrow(/lone surrogate/);
      const longest = 'k'.repeat(MAX_STORE_KEY_BYTES - 'rooms'.length - 1);
      await store.put('rooms', longest, 1);
      expect(await store.get('rooms', longest)).toBe(1);
      await expect(store.put('rooms', `${longest}k`, 1)).rejects.toThrow(RangeError);
    });

    it('records the schema version when opened', async () => {
      expect(await store.get('meta', 'schemaVersion')).toBe(latestSchemaVersion(STORE_MIGRATIONS));
    });

    it('refuses use after close', async () => {
      await store.close();
      await expect(store.get('rooms', 'r')).rejects.toThrow(/not open/);
      await expect(store.put('rooms', 'r', 1)).rejects.toThrow(/not open/);
      await store.close();
    });
  });
}
