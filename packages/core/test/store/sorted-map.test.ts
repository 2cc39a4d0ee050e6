import { describe, expect, it } from 'vitest';
import { compareUtf8, SortedMap } from '../../src/store/sorted-map.js';

const alphabet = ['a', 'b', 'z', '\u001f', 'é', '\ue000', '\uffee', '😀', '𝄞', '/'];

function randomKey(random: () => number): string {
  const length = 1 + Math.floor(random() * 6);
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const keysOf = (entries: Iterable<[string, unknown]>) => [...entries].map(([key]) => key);

describe('SortedMap', () => {
  it('agrees with a Map across random sets and deletes, and lists prefixes in UTF-8 byte order', () => {
    const random = seeded(7);
    const map = new SortedMap<number>();
    const model = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const key = randomKey(random);
      const roll = random();
      if (roll < 0.3) {
        expect(map.delete(key)).toBe(model.delete(key));
      } else if (roll < 0.4) {
        expect(map.get(key)).toBe(model.get(key));
        expect(map.has(key)).toBe(model.has(key));
      } else {
        expect(map.set(key, i)).toBe(!model.has(key));
        model.set(key, i);
      }
      expect(map.size).toBe(model.size);
    }
    for (const [key, value] of model) expect(map.get(key)).toBe(value);
    const expected = [...model.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(keysOf(map.withPrefix(''))).toEqual(expected);
    expect([...map.withPrefix('')].map(([key, value]) => [key, value])).toEqual(
      expected.map((key) => [key, model.get(key)]),
    );
    for (const prefix of ['a', 'é', '😀', '\ue000', 'zz']) {
      expect(keysOf(map.withPrefix(prefix))).toEqual(expected.filter((k) => k.startsWith(prefix)));
    }
  });

  it('splits and drops chunks as it grows and shrinks', () => {
    const map = new SortedMap<number>();
    const keys = Array.from({ length: 2000 }, (_, i) => `k${String((i * 7919) % 2000).padStart(4, '0')}`);
    for (const [i, key] of keys.entries()) map.set(key, i);
    expect(keysOf(map.withPrefix('k'))).toEqual([...keys].sort());
    for (const key of keys.slice(0, 1990)) expect(map.delete(key)).toBe(true);
    expect(map.size).toBe(10);
    expect(keysOf(map.withPrefix(''))).toEqual(keys.slice(1990).sort());
    for (const key of keys.slice(1990)) map.delete(key);
    expect(map.size).toBe(0);
    expect(map.get('k0001')).toBeUndefined();
    expect([...map.withPrefix('')]).toEqual([]);
    expect([...map.withPrefixReversed('')]).toEqual([]);
  });

  it('compareUtf8 agrees with byte order where UTF-16 order does not', () => {
    expect(compareUtf8('\uffee', '😀')).toBeLessThan(0);
    expect('\uffee' < '😀').toBe(false);
    expect(compareUtf8('abc', 'abd')).toBeLessThan(0);
    expect(compareUtf8('ab', 'abc')).toBeLessThan(0);
  });
});

describe('SortedMap.withPrefixReversed', () => {
  it('lists a prefix in descending order across many chunks', () => {
    const map = new SortedMap<string>();
    const all: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const key = `c${i % 37}/${String(i).padStart(5, '0')}`;
      map.set(key, key.toUpperCase());
      all.push(key);
    }
    all.sort();
    for (const prefix of ['c1/', 'c36/', 'c0/', 'c', 'd', '']) {
      const expected = all.filter((k) => k.startsWith(prefix)).reverse();
      expect([...map.withPrefixReversed(prefix)]).toEqual(expected.map((k) => [k, k.toUpperCase()]));
    }
  });
});
