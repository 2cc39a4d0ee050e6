import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/engine/bot-state.js';
import { HistoryCache } from '../../src/engine/history-cache.js';

const m = (id: string, timestamp: number): StoredMessage => ({
  id,
  timestamp,
  senderId: 'u',
  role: 'user',
  content: id,
});

describe('HistoryCache', () => {
  it('answers only when it holds enough messages or all of them', () => {
    const cache = new HistoryCache();
    expect(cache.get('c', 2)).toBeUndefined();
    cache.fill('c', [m('a', 1)], 5);
    expect(cache.get('c', 5)?.map((x) => x.id)).toEqual(['a']);
    cache.fill('d', [m('a', 1), m('b', 2)], 2);
    expect(cache.get('d', 3)).toBeUndefined();
    expect(cache.get('d', 1)?.map((x) => x.id)).toEqual(['b']);
  });

  it('a message appended during a slow store read is not lost when the read lands', () => {
    const cache = new HistoryCache();
    cache.append('c', m('new', 5));
    cache.fill('c', [m('old', 1)], 10);
    expect(cache.get('c', 10)?.map((x) => x.id)).toEqual(['old', 'new']);
  });

  it('an append to an unread conversation does not claim to know it all', () => {
    const cache = new HistoryCache();
    cache.append('c', m('x', 1));
    expect(cache.get('c', 5)).toBeUndefined();
    expect(cache.get('c', 1)?.map((x) => x.id)).toEqual(['x']);
  });

  it('sorts a late message in', () => {
    const cache = new HistoryCache();
    cache.fill('c', [], 5);
    for (const [id, at] of [
      ['a', 1],
      ['c', 3],
      ['b', 2],
    ] as const)
      cache.append('c', m(id, at));
    expect(cache.get('c', 5)?.map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('forgets the least recently used conversation and caps messages', () => {
    const cache = new HistoryCache(2, 3);
    cache.fill('a', [], 5);
    cache.fill('b', [], 5);
    cache.get('a', 1);
    cache.fill('c', [], 5);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toEqual([]);
    for (const [i, id] of ['1', '2', '3', '4'].entries()) cache.append('a', m(id, i));
    expect(cache.get('a', 3)?.map((x) => x.id)).toEqual(['2', '3', '4']);
    expect(cache.get('a', 4)).toBeUndefined();
  });

  it('a read larger than the cap is not taken as complete', () => {
    const cache = new HistoryCache(10, 2);
    cache.fill('c', [m('a', 1), m('b', 2), m('c', 3)], 5);
    expect(cache.get('c', 2)?.map((x) => x.id)).toEqual(['b', 'c']);
    expect(cache.get('c', 3)).toBeUndefined();
  });
});
