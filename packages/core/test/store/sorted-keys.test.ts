import { describe, expect, it } from 'vitest';
import { compareUtf8, SortedKeys } from '../../src/store/sorted-keys.js';

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

describe('SortedKeys', () => {
  it('orders keys as UTF-8 bytes across inserts and deletes, and lists prefixes', () => {
    const random = seeded(7);
    const keys = new SortedKeys();
    const present = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const key = randomKey(random);
      if (present.has(key)) {
        keys.delete(key);
        present.delete(key);
      } else {
        keys.insert(key);
        present.add(key);
      }
    }
    const expected = [...present].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...keys.withPrefix('')]).toEqual(expected);
    for (const prefix of ['a', 'é', '😀', '\ue000', 'zz']) {
      expect([...keys.withPrefix(prefix)]).toEqual(expected.filter((k) => k.startsWith(prefix)));
    }
  });

  it('compareUtf8 agrees with byte order where UTF-16 order does not', () => {
    expect(compareUtf8('\uffee', '😀')).toBeLessThan(0);
    expect('\uffee' < '😀').toBe(false);
    expect(compareUtf8('abc', 'abd')).toBeLessThan(0);
    expect(compareUtf8('ab', 'abc')).toBeLessThan(0);
  });
});

describe('SortedKeys.withPrefixReversed', () => {
  it('lists a prefix in descending order across many chunks', () => {
    const keys = new SortedKeys();
    const all: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const key = `c${i % 37}/${String(i).padStart(5, '0')}`;
      keys.insert(key);
      all.push(key);
    }
    all.sort();
    for (const prefix of ['c1/', 'c36/', 'c0/', 'c', 'd', '']) {
      expect([...keys.withPrefixReversed(prefix)]).toEqual(all.filter((k) => k.startsWith(prefix)).reverse());
    }
  });
});
