import { describe, expect, it } from 'vitest';
import { ChurnMap } from '../../src/collections/churn-map.js';

describe('ChurnMap', () => {
  it('gets, sets, deletes and counts like a Map', () => {
    const map = new ChurnMap<number>();
    expect(map.size).toBe(0);
    expect(map.set('a', 1)).toBe(map);
    map.set('b', 2).set('a', 3);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe(3);
    expect(map.has('b')).toBe(true);
    expect(map.has('c')).toBe(false);
    expect(map.get('c')).toBeUndefined();
    expect(map.delete('b')).toBe(true);
    expect(map.delete('b')).toBe(false);
    expect(map.size).toBe(1);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.has('a')).toBe(false);
  });

  it('knows a key whose value is undefined, and keys named like Object members', () => {
    const map = new ChurnMap<number | undefined>();
    map.set('x', undefined);
    expect(map.has('x')).toBe(true);
    expect(map.size).toBe(1);
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(map.has(key)).toBe(false);
      map.set(key, 1);
      expect(map.get(key)).toBe(1);
    }
    expect(map.size).toBe(5);
    expect(map.delete('__proto__')).toBe(true);
    expect(map.has('__proto__')).toBe(false);
  });

  it('iterates in insertion order; deleting and setting again moves a key to the end', () => {
    const map = new ChurnMap<string>();
    for (const key of ['u:c', 'u:a', 'u:b']) map.set(key, key.toUpperCase());
    map.set('u:c', 'again');
    expect(map.keys()).toEqual(['u:c', 'u:a', 'u:b']);
    map.delete('u:c');
    map.set('u:c', 'moved');
    expect(map.keys()).toEqual(['u:a', 'u:b', 'u:c']);
    expect(map.values()).toEqual(['U:A', 'U:B', 'moved']);
    expect([...map]).toEqual([
      ['u:a', 'U:A'],
      ['u:b', 'U:B'],
      ['u:c', 'moved'],
    ]);
  });

  it('walks a snapshot, so entries can be deleted while walking', () => {
    const map = new ChurnMap<number>();
    for (let i = 0; i < 10; i++) map.set(`k${i}`, i);
    for (const [key, value] of map.entries()) if (value % 2 === 0) map.delete(key);
    expect(map.values()).toEqual([1, 3, 5, 7, 9]);
  });
});
