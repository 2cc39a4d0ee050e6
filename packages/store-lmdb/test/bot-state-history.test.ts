import { join } from 'node:path';
import { BotState, type StoredMessage } from '@confab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { LmdbStore } from '../src/lmdb-store.js';
import { makeTempDir } from './temp-dir.js';

const m = (id: string, timestamp: number): StoredMessage => ({
  id,
  timestamp,
  senderId: 'u',
  role: 'user',
  content: `text ${id}`,
});
const ids = (messages: readonly StoredMessage[]) => messages.map((x) => x.id);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function openAt(path: string): Promise<LmdbStore> {
  const store = new LmdbStore({ path });
  await store.open();
  return store;
}

describe("the engine's stored history on LMDB", () => {
  it('reads back in time order after a restart, and keeps only the newest `historyDepth`', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    const path = join(temp.dir, 'confab.data');
    const first = await openAt(path);
    const state = new BotState(first, 4);
    // Timestamps of different lengths: the key pads them so byte order is time order.
    for (const [id, at] of [
      ['a', 9],
      ['b', 80],
      ['c', 700],
      ['e', 60_000],
      ['d', 5_000],
      ['f', 1e12],
    ] as const) {
      await state.appendHistory('room', m(id, at));
    }
    await state.appendHistory('room\u001fmate', m('other', 1));
    await first.close();

    const second = await openAt(path);
    cleanups.push(() => second.close());
    const restarted = new BotState(second, 4);
    expect(ids(await restarted.history('room', 4))).toEqual(['c', 'd', 'e', 'f']);
    expect(ids(await restarted.history('room\u001fmate', 4))).toEqual(['other']);
    expect(await second.list('history', 'room\u001e')).toHaveLength(4);
  });
});
