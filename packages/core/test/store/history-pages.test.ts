import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HISTORY_PAGE_SIZE,
  HistoryPages,
  type PagedMessage,
  pageHistory,
} from '../../src/store/history-pages.js';
import { LmdbStore } from '../../src/store/lmdb-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';
import { makeTempDir } from './temp-dir.js';

const SEP = '\u001e';
const P = HISTORY_PAGE_SIZE;

interface Message extends PagedMessage {
  readonly content: string;
}

const m = (id: string, timestamp: number): Message => Object.freeze({ id, timestamp, content: `text ${id}` });
const ids = (messages: readonly Message[]) => messages.map((x) => x.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);

/** The history namespace as it is: page keys, and the ids each page holds. */
async function layout(store: Store, conversation: string): Promise<[string, string[]][]> {
  const pages = await store.list<Message[]>('history', `${conversation}${SEP}`);
  return pages.map(({ key, value }) => [key.slice(conversation.length + 1), ids(value)]);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const stores: [string, () => Promise<Store>][] = [
  [
    'MemoryStore',
    async () => {
      const store = new MemoryStore();
      await store.open();
      return store;
    },
  ],
  [
    'LmdbStore',
    async () => {
      const temp = await makeTempDir();
      const store = new LmdbStore({ path: join(temp.dir, 'confab.data') });
      await store.open();
      cleanups.push(async () => {
        await store.close();
        await temp.remove();
      });
      return store;
    },
  ],
];

describe.each(stores)('HistoryPages on %s', (_name, open) => {
  it('fills pages of HISTORY_PAGE_SIZE in order, keyed by a fixed-width page number', async () => {
    const store = await open();
    const pages = new HistoryPages<Message>(store, undefined);
    for (let i = 1; i <= 2 * P + 3; i++) await pages.append('c', m(`m${i}`, i));
    expect(await layout(store, 'c')).toEqual([
      ['0000000000', range(1, P)],
      ['0000000001', range(P + 1, 2 * P)],
      ['0000000002', range(2 * P + 1, 2 * P + 3)],
    ]);
    expect(ids(await pages.newest('c', 4))).toEqual(range(2 * P, 2 * P + 3));
    expect(ids(await pages.newest('c', 100))).toEqual(range(1, 2 * P + 3));
    expect(await pages.newest('c', 0)).toEqual([]);
    expect(await pages.newest('other', 5)).toEqual([]);
  });

  it('with `keep`, deletes each page once none of the newest `keep` is in it', async () => {
    for (const keep of [1, 3, P - 1, P, P + 1, 2 * P + 5]) {
      const store = await open();
      const pages = new HistoryPages<Message>(store, keep);
      for (let i = 1; i <= 5 * P + 3; i++) {
        await pages.append('c', m(`m${i}`, i));
        const stored = (await layout(store, 'c')).flatMap(([, held]) => held);
        const newest = range(Math.max(1, i - keep + 1), i);
        expect(stored.slice(-newest.length), `keep ${keep} after ${i}`).toEqual(newest);
        expect(stored.length, `keep ${keep} after ${i}`).toBeLessThanOrEqual(keep + P - 1);
      }
    }
  });

  it('continues the newest page after a restart, also when appends overlap while it is read', async () => {
    const store = await open();
    const first = new HistoryPages<Message>(store, undefined);
    for (let i = 1; i <= P + 2; i++) await first.append('c', m(`m${i}`, i));
    const restarted = new HistoryPages<Message>(store, undefined);
    // Not awaited one by one: every append but the first finds the newest page being read.
    await Promise.all(
      Array.from({ length: P + 1 }, (_, i) => restarted.append('c', m(`m${P + 3 + i}`, P + 3 + i))),
    );
    expect(await layout(store, 'c')).toEqual([
      ['0000000000', range(1, P)],
      ['0000000001', range(P + 1, 2 * P)],
      ['0000000002', range(2 * P + 1, 2 * P + 3)],
    ]);
  });

  it('sorts a late message in among the others', async () => {
    const store = await open();
    const pages = new HistoryPages<Message>(store, undefined);
    await pages.append('c', m('m1', 10));
    await pages.append('c', m('m3', 30));
    await pages.append('c', m('m2', 20));
    expect(ids(await pages.newest('c', 3))).toEqual(['m1', 'm2', 'm3']);
  });

  it('trims a conversation stored deeper than it keeps on the read that asks', async () => {
    const store = await open();
    const everything = new HistoryPages<Message>(store, undefined);
    for (let i = 1; i <= 4 * P; i++) await everything.append('c', m(`m${i}`, i));
    const kept = new HistoryPages<Message>(store, P + 1);
    expect(ids(await kept.trimmed('c'))).toEqual(range(3 * P, 4 * P));
    expect((await layout(store, 'c')).map(([page]) => page)).toEqual(['0000000002', '0000000003']);
    await expect(everything.trimmed('c')).rejects.toThrow(/needs `keep`/);
  });

  it('forgets the newest pages of the least recent conversations beyond `maxTails`, and reads them back', async () => {
    const store = await open();
    const pages = new HistoryPages<Message>(store, undefined, 4);
    for (let round = 0; round < 3; round++) {
      for (let c = 0; c < 20; c++) await pages.append(`c${c}`, m(`m${round}`, round));
    }
    for (let c = 0; c < 20; c++) expect(await layout(store, `c${c}`)).toEqual([['0000000000', range(0, 2)]]);
  });

  it('keeps conversations apart, whatever their keys have in common', async () => {
    const store = await open();
    const pages = new HistoryPages<Message>(store, undefined);
    await pages.append('room', m('a', 1));
    await pages.append('room\u001fmate', m('b', 2));
    expect(ids(await pages.newest('room', 5))).toEqual(['a']);
    expect(ids(await pages.newest('room\u001fmate', 5))).toEqual(['b']);
  });
});

describe('HistoryPages with writes that take their time', () => {
  /** A memory store whose writes, once held, land only when released, as a commit to disk does. */
  function slowStore(): { store: Store; hold(): void; release(): void } {
    const inner = new MemoryStore();
    let holding = false;
    const held: (() => void)[] = [];
    const store: Store = {
      open: () => inner.open(),
      close: () => inner.close(),
      get: (namespace, key) => inner.get(namespace, key),
      putIfAbsent: (namespace, key, value) => inner.putIfAbsent(namespace, key, value),
      delete: (namespace, key) => inner.delete(namespace, key),
      list: (namespace, prefix, options) => inner.list(namespace, prefix, options),
      put: (namespace, key, value) =>
        holding
          ? new Promise<void>((resolve, reject) => {
              held.push(() => inner.put(namespace, key, value).then(resolve, reject));
            })
          : inner.put(namespace, key, value),
    };
    return {
      store,
      hold() {
        holding = true;
      },
      release() {
        holding = false;
        for (const write of held.splice(0)) write();
      },
    };
  }

  it('never forgets a newest page whose write has not landed, so no append reads it back without it', async () => {
    const { store, hold, release } = slowStore();
    await store.open();
    const pages = new HistoryPages<Message>(store, undefined, 2);
    await pages.append('c0', m('m1', 1));
    hold();
    const inFlight = pages.append('c0', m('m2', 2));
    // Other conversations take the room of c0's newest page while its write is held.
    const others = Array.from({ length: 6 }, (_, c) => pages.append(`c${c + 1}`, m('x', 1)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const next = pages.append('c0', m('m3', 3));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await Promise.all([inFlight, next, ...others]);
    expect(await layout(store, 'c0')).toEqual([['0000000000', ['m1', 'm2', 'm3']]]);
  });
});

describe('pageHistory (schema step 2)', () => {
  /** An entry per message, as schema 1 kept history. */
  const entryKey = (conversation: string, message: Message) =>
    `${conversation}${SEP}${String(message.timestamp).padStart(15, '0')}${SEP}${message.id}`;

  it('turns an entry per message into pages, conversation by conversation', async () => {
    const store = new MemoryStore({ migrations: [] });
    await store.open();
    for (let i = 1; i <= P + 2; i++) await store.put('history', entryKey('a', m(`m${i}`, i)), m(`m${i}`, i));
    await store.put('history', entryKey('b', m('x', 5)), m('x', 5));
    await pageHistory(store);
    expect(await layout(store, 'a')).toEqual([
      ['0000000000', range(1, P)],
      ['0000000001', range(P + 1, P + 2)],
    ]);
    expect(await layout(store, 'b')).toEqual([['0000000000', ['x']]]);
    expect((await store.list('history')).map(({ key }) => key.split(SEP).length)).toEqual([2, 2, 2]);
    // Appending carries on where the pages end.
    const pages = new HistoryPages<Message>(store, undefined);
    await pages.append('a', m('next', P + 3));
    expect(ids(await pages.newest('a', 2))).toEqual([`m${P + 2}`, 'next']);
  });

  it('completes a step cut short, whether while writing pages or while deleting entries', async () => {
    const store = new MemoryStore({ migrations: [] });
    await store.open();
    const messages = Array.from({ length: P + 3 }, (_, i) => m(`m${i + 1}`, i + 1));
    const putEntries = async (which: Message[]) => {
      for (const message of which) await store.put('history', entryKey('a', message), message);
    };
    const paged = [
      ['0000000000', range(1, P)],
      ['0000000001', range(P + 1, P + 3)],
    ];
    await putEntries(messages);
    await pageHistory(store);
    expect(await layout(store, 'a')).toEqual(paged);
    // Stopped after writing page 0: every entry is still there.
    await store.delete('history', `a${SEP}0000000001`);
    await putEntries(messages);
    await pageHistory(store);
    expect(await layout(store, 'a')).toEqual(paged);
    expect(await store.list('history')).toHaveLength(2);
    // Stopped while deleting entries: the pages are whole, some entries left.
    await putEntries(messages.slice(P - 2));
    await pageHistory(store);
    expect(await layout(store, 'a')).toEqual(paged);
    expect(await store.list('history')).toHaveLength(2);
  });

  it('runs when a store of schema 1 is opened', async () => {
    const temp = await makeTempDir();
    cleanups.push(temp.remove);
    const path = join(temp.dir, 'confab.data');
    const old = new LmdbStore({ path, migrations: [] });
    await old.open();
    await old.put('meta', 'schemaVersion', 1);
    await old.put('history', entryKey('a', m('m1', 1)), m('m1', 1));
    await old.close();
    const store = new LmdbStore({ path });
    await store.open();
    try {
      expect(await layout(store, 'a')).toEqual([['0000000000', ['m1']]]);
      expect(await store.get('meta', 'schemaVersion')).toBe(2);
    } finally {
      await store.close();
    }
  });
});
