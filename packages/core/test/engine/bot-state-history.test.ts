import { describe, expect, it, vi } from 'vitest';
import { BotState, type StoredMessage } from '../../src/engine/bot-state.js';
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
const ids = (messages: readonly StoredMessage[]) => messages.map((x) => x.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `a${from + i}`);

async function openStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.open();
  return store;
}

/** The ids of every message the store holds for a conversation, in key order. */
async function storedIds(store: MemoryStore, conversation: string): Promise<string[]> {
  const entries = await store.list<StoredMessage>(StoreNamespaces.history, `${conversation}${SEP}`);
  return entries.map((entry) => entry.value.id);
}

describe('BotState stored history', () => {
  it('keeps the newest `historyDepth` messages of each conversation, deleting older ones as it writes', async () => {
    const store = await openStore();
    const state = new BotState(store, 3);
    expect(await state.history('a', 3)).toEqual([]);
    for (let i = 1; i <= 20; i++) await state.appendHistory('a', m(`a${i}`, i));
    await state.appendHistory('b', m('b1', 1));
    expect(await storedIds(store, 'a')).toEqual(range(18, 20));
    expect(await storedIds(store, 'b')).toEqual(['b1']);
    expect(ids(await state.history('a', 3))).toEqual(range(18, 20));
    // A new BotState (a restart) reads the same from the store.
    const restarted = new BotState(store, 3);
    expect(ids(await restarted.history('a', 3))).toEqual(range(18, 20));
    expect(ids(await restarted.history('a', 2))).toEqual(range(19, 20));
  });

  it('keeps every message of overlapping appends, and trims to the depth once they land', async () => {
    const store = await openStore();
    const state = new BotState(store, 5);
    await Promise.all(Array.from({ length: 12 }, (_, i) => state.appendHistory('a', m(`a${i + 1}`, i + 1))));
    expect(await storedIds(store, 'a')).toEqual(range(8, 12));
    expect(ids(await new BotState(store, 5).history('a', 5))).toEqual(range(8, 12));
  });

  it('cuts back, at its next append, a conversation stored deeper than it keeps', async () => {
    const store = await openStore();
    const everything = new BotState(store);
    for (let i = 1; i <= 30; i++) await everything.appendHistory('a', m(`a${i}`, i));
    expect(await storedIds(store, 'a')).toHaveLength(30);
    const state = new BotState(store, 4);
    expect(ids(await state.history('a', 2))).toEqual(range(29, 30));
    await state.appendHistory('a', m('a31', 31));
    expect(await storedIds(store, 'a')).toEqual(range(28, 31));
    expect(ids(await state.history('a', 4))).toEqual(range(28, 31));
    expect(ids(await new BotState(store, 4).history('a', 4))).toEqual(range(28, 31));
  });

  it('reads from the store a window deeper than the cache holds', async () => {
    const store = await openStore();
    const state = new BotState(store, 300);
    for (let i = 1; i <= 280; i++) await state.appendHistory('a', m(`a${i}`, i));
    expect(await storedIds(store, 'a')).toHaveLength(280);
    expect(ids(await state.history('a', 270))).toEqual(range(11, 280));
    const restarted = new BotState(store, 300);
    expect(ids(await restarted.history('a', 270))).toEqual(range(11, 280));
  });

  it('lists a late message in time order, in the cache and after a restart', async () => {
    const store = await openStore();
    const state = new BotState(store, 10);
    await state.history('a', 10);
    await state.appendHistory('a', m('a1', 10));
    await state.appendHistory('a', m('a3', 30));
    await state.appendHistory('a', m('a2', 20));
    expect(ids(await state.history('a', 10))).toEqual(['a1', 'a2', 'a3']);
    expect(ids(await new BotState(store, 10).history('a', 10))).toEqual(['a1', 'a2', 'a3']);
  });

  it('keeps conversations apart, whatever their keys have in common', async () => {
    const store = await openStore();
    const state = new BotState(store, 5);
    await state.appendHistory('room', m('a', 1));
    await state.appendHistory('room\u001fmate', m('b', 2));
    const restarted = new BotState(store, 5);
    expect(ids(await restarted.history('room', 5))).toEqual(['a']);
    expect(ids(await restarted.history('room\u001fmate', 5))).toEqual(['b']);
  });

  it('answers from the cache what it read or appended, without the store', async () => {
    const store = await openStore();
    const state = new BotState(store);
    expect(await state.history('a', 5)).toEqual([]);
    const list = vi.spyOn(store, 'list');
    const get = vi.spyOn(store, 'get');
    const written = state.appendHistory('a', m('a1', 1));
    // Before the write lands.
    expect(ids(await state.history('a', 5))).toEqual(['a1']);
    await written;
    expect(list).not.toHaveBeenCalled();
    expect(get).not.toHaveBeenCalled();
  });
});
