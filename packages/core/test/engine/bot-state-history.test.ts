import { describe, expect, it } from 'vitest';
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

async function openStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.open();
  return store;
}

async function storedIds(store: MemoryStore, conversation: string): Promise<string[]> {
  const entries = await store.list<StoredMessage>(StoreNamespaces.history, `${conversation}${SEP}`);
  return entries.map((e) => e.value.id);
}

describe('BotState stored history', () => {
  it('keeps the newest `historyDepth` messages of each conversation, deleting older ones as it writes', async () => {
    const store = await openStore();
    const state = new BotState(store, 3);
    expect(await state.history('a', 3)).toEqual([]);
    for (let i = 1; i <= 6; i++) await state.appendHistory('a', m(`a${i}`, i));
    await state.appendHistory('b', m('b1', 1));
    expect(await storedIds(store, 'a')).toEqual(['a4', 'a5', 'a6']);
    expect(await storedIds(store, 'b')).toEqual(['b1']);
    expect((await state.history('a', 3)).map((x) => x.id)).toEqual(['a4', 'a5', 'a6']);
    // A new BotState (a restart) reads the same from the store.
    const restarted = new BotState(store, 3);
    expect((await restarted.history('a', 3)).map((x) => x.id)).toEqual(['a4', 'a5', 'a6']);
    expect((await restarted.history('a', 2)).map((x) => x.id)).toEqual(['a5', 'a6']);
  });

  it('cuts back, on its first read, a conversation stored deeper than it keeps', async () => {
    const store = await openStore();
    const everything = new BotState(store);
    for (let i = 1; i <= 10; i++) await everything.appendHistory('a', m(`a${i}`, i));
    expect(await storedIds(store, 'a')).toHaveLength(10);
    const state = new BotState(store, 4);
    expect((await state.history('a', 2)).map((x) => x.id)).toEqual(['a9', 'a10']);
    expect(await storedIds(store, 'a')).toEqual(['a7', 'a8', 'a9', 'a10']);
    await state.appendHistory('a', m('a11', 11));
    expect(await storedIds(store, 'a')).toEqual(['a8', 'a9', 'a10', 'a11']);
    expect((await state.history('a', 4)).map((x) => x.id)).toEqual(['a8', 'a9', 'a10', 'a11']);
  });

  it('keeps everything when a read may look deeper than the cache holds', async () => {
    const store = await openStore();
    const state = new BotState(store, 300);
    for (let i = 1; i <= 280; i++) await state.appendHistory('a', m(`a${i}`, i));
    expect(await storedIds(store, 'a')).toHaveLength(280);
    expect(await state.history('a', 270)).toHaveLength(270);
  });
});
