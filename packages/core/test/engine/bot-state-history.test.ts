import { describe, expect, it } from 'vitest';
import { BotState, type StoredMessage } from '../../src/engine/bot-state.js';
import { HISTORY_PAGE_SIZE } from '../../src/store/history-pages.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { StoreNamespaces } from '../../src/store/store-namespaces.js';

const SEP = '\u001e';
const m = (id: string, timestamp: number): StoredMessage => ({
  id,
  timestamp,
  senderId: 'u',
  role: 'user',
  content: `text ${id}`,
});

async function openStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.open();
  return store;
}

/** The ids of every message the store holds for a conversation, across its pages. */
async function storedIds(store: MemoryStore, conversation: string): Promise<string[]> {
  const pages = await store.list<StoredMessage[]>(StoreNamespaces.history, `${conversation}${SEP}`);
  return pages.flatMap((page) => page.value.map((message) => message.id));
}

describe('BotState stored history', () => {
  it('keeps the newest `historyDepth` messages of each conversation, deleting older pages as it writes', async () => {
    const store = await openStore();
    const state = new BotState(store, 3);
    expect(await state.history('a', 3)).toEqual([]);
    const count = HISTORY_PAGE_SIZE * 3 + 2;
    for (let i = 1; i <= count; i++) await state.appendHistory('a', m(`a${i}`, i));
    await state.appendHistory('b', m('b1', 1));
    const stored = await storedIds(store, 'a');
    // Whole pages: the newest 3 and at most a page less one more.
    expect(stored.slice(-3)).toEqual([`a${count - 2}`, `a${count - 1}`, `a${count}`]);
    expect(stored.length).toBeLessThanOrEqual(3 + HISTORY_PAGE_SIZE - 1);
    expect(stored).toEqual(stored.toSorted((x, y) => Number(x.slice(1)) - Number(y.slice(1))));
    expect(await storedIds(store, 'b')).toEqual(['b1']);
    const newest = [`a${count - 2}`, `a${count - 1}`, `a${count}`];
    expect((await state.history('a', 3)).map((x) => x.id)).toEqual(newest);
    // A new BotState (a restart) reads the same from the store.
    const restarted = new BotState(store, 3);
    expect((await restarted.history('a', 3)).map((x) => x.id)).toEqual(newest);
    expect((await restarted.history('a', 2)).map((x) => x.id)).toEqual(newest.slice(1));
  });

  it('cuts back, on its first read, a conversation stored deeper than it keeps', async () => {
    const store = await openStore();
    const everything = new BotState(store);
    const count = HISTORY_PAGE_SIZE * 4;
    for (let i = 1; i <= count; i++) await everything.appendHistory('a', m(`a${i}`, i));
    expect(await storedIds(store, 'a')).toHaveLength(count);
    const state = new BotState(store, 4);
    expect((await state.history('a', 2)).map((x) => x.id)).toEqual([`a${count - 1}`, `a${count}`]);
    // Only the newest page is needed for the newest 4.
    expect(await storedIds(store, 'a')).toEqual(
      Array.from({ length: HISTORY_PAGE_SIZE }, (_, i) => `a${count - HISTORY_PAGE_SIZE + 1 + i}`),
    );
    await state.appendHistory('a', m(`a${count + 1}`, count + 1));
    expect((await state.history('a', 4)).map((x) => x.id)).toEqual(
      [count - 2, count - 1, count, count + 1].map((i) => `a${i}`),
    );
    expect((await new BotState(store, 4).history('a', 4)).map((x) => x.id)).toEqual(
      [count - 2, count - 1, count, count + 1].map((i) => `a${i}`),
    );
  });

  it('keeps everything when a read may look deeper than the cache holds', async () => {
    const store = await openStore();
    const state = new BotState(store, 300);
    for (let i = 1; i <= 280; i++) await state.appendHistory('a', m(`a${i}`, i));
    expect(await storedIds(store, 'a')).toHaveLength(280);
    expect(await state.history('a', 270)).toHaveLength(270);
    const restarted = new BotState(store, 300);
    const read = await restarted.history('a', 270);
    expect(read.map((x) => x.id)).toEqual(Array.from({ length: 270 }, (_, i) => `a${i + 11}`));
  });
});
