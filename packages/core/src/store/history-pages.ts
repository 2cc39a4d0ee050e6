import { ChurnMap } from '../collections/churn-map.js';
import type { Store } from './store.js';
import { StoreNamespaces } from './store-namespaces.js';

/** What {@link HistoryPages} needs to know of a stored message. */
export interface PagedMessage {
  readonly id: string;
  /** Epoch milliseconds; a page keeps its messages in this order. */
  readonly timestamp: number;
}

/** The most messages one page holds. */
export const HISTORY_PAGE_SIZE = 8;

const SEP = '\u001e';
const INDEX_DIGITS = 10;

/**
 * The newest page of a conversation, as {@link HistoryPages.append} last wrote or read it;
 * changed in place by each append.
 */
interface Tail<M> {
  /** -1 while the conversation has no page. */
  index: number;
  key: string;
  messages: readonly M[];
}

/**
 * The `history` namespace's layout: each conversation's messages in pages of up to
 * {@link HISTORY_PAGE_SIZE}, keyed `<conversation>\u001e<page number, 10 digits>` and holding
 * the page's messages oldest first. A message is appended to the newest page, which is written
 * again as a whole; a full page starts the next.
 *
 * Why pages rather than an entry per message: an entry per message cost a key as long as the
 * conversation key for every message, and a write plus a delete once the conversation was as
 * deep as it is kept. In the memory store those keys and the sorted index around them were
 * about 30 % of what each message left in the garbage collector's old generation (V8's sampling
 * heap profiler under `pnpm bench engine`'s load); with pages, the bytes promoted per message
 * there fell from about 610 to 420 at 16,000 messages/s. A page is rewritten up to
 * {@link HISTORY_PAGE_SIZE} times, which the embedded store absorbs (one write per message as
 * before, of a few messages), and the memory store keeps the frozen page it is handed without a
 * copy.
 *
 * With `keep` set, a conversation keeps the pages that hold its newest `keep` messages: the
 * append that pushes a page out of that window deletes it, so the store holds at most
 * `keep + HISTORY_PAGE_SIZE - 1` messages per conversation.
 */
export class HistoryPages<M extends PagedMessage> {
  readonly #store: Store;
  readonly #keep: number | undefined;
  readonly #maxTails: number;
  /** The newest page of conversations appended to lately, so an append does not read it first. */
  readonly #tails = new ChurnMap<Tail<M>>();
  readonly #loading = new ChurnMap<Promise<Tail<M>>>();
  /** Writes not yet settled, per conversation: a tail is never forgotten while it has any. */
  readonly #writing = new ChurnMap<number>();

  /**
   * @param keep how many of a conversation's newest messages are kept; undefined: all.
   * @param maxTails how many conversations' newest pages are remembered; beyond it, the oldest
   *   remembered are forgotten and read from the store at their next append.
   */
  constructor(store: Store, keep: number | undefined, maxTails = 2_000) {
    this.#store = store;
    this.#keep = keep;
    this.#maxTails = maxTails;
  }

  /**
   * Stores a message of a conversation, in timestamp order within its page. Appends to one
   * conversation may overlap: each changes the newest page in one synchronous step before it
   * writes, and the writes reach the store in call order.
   *
   * Frozen messages are kept by the memory store as they are (see `isFrozenRecord`).
   */
  async append(conversation: string, message: M): Promise<void> {
    const known = this.#tails.get(conversation);
    const tail = known ?? (await this.#load(conversation));
    // Overlapping appends all waited for the same read; the first to resume wrote the tail.
    const current = known ?? this.#tails.get(conversation) ?? tail;
    if (current.index < 0 || current.messages.length >= HISTORY_PAGE_SIZE) {
      current.index++;
      current.key = pageKey(conversation, current.index);
      current.messages = Object.freeze([message]);
    } else {
      current.messages = withMessage(current.messages, message);
    }
    const { index, key, messages } = current;
    // A tail found in the map is changed in place; one read back may have been forgotten since.
    if (current !== known) this.#remember(conversation, current);
    // Forgetting a tail whose write is still on its way could read the page back without it.
    this.#writing.set(conversation, (this.#writing.get(conversation) ?? 0) + 1);
    try {
      const write = this.#store.put(StoreNamespaces.history, key, messages);
      const stale = this.#staleIndex(index, messages.length);
      // Issued before the write is awaited: the embedded store commits both in one batch.
      const deleted =
        stale < 0 ? undefined : this.#store.delete(StoreNamespaces.history, pageKey(conversation, stale));
      await write;
      if (deleted) await deleted;
    } finally {
      const writing = (this.#writing.get(conversation) ?? 1) - 1;
      if (writing === 0) this.#writing.delete(conversation);
      else this.#writing.set(conversation, writing);
    }
  }

  /** The newest `limit` messages of a conversation, oldest first. */
  async newest(conversation: string, limit: number): Promise<M[]> {
    if (limit <= 0) return [];
    const pages = await this.#store.list<unknown>(StoreNamespaces.history, pagePrefix(conversation), {
      reverse: true,
      // The newest page may hold a single message.
      limit: Math.ceil(limit / HISTORY_PAGE_SIZE) + 1,
    });
    return inOrder<M>(pages.reverse().map((page) => page.value)).slice(-limit);
  }

  /**
   * The newest `keep` messages of a conversation, oldest first, deleting the pages that hold
   * none of them (left by a larger `keep` before, or by a version that kept everything). Needs
   * `keep`; reads every page of the conversation, so the caller does it once per conversation
   * it starts to cache.
   */
  async trimmed(conversation: string): Promise<M[]> {
    const keep = this.#keep;
    if (keep === undefined) throw new Error('HistoryPages.trimmed: needs `keep`');
    const newestFirst = await this.#store.list<unknown>(StoreNamespaces.history, pagePrefix(conversation), {
      reverse: true,
    });
    let held = 0;
    let needed = 0;
    while (needed < newestFirst.length && held < keep) {
      held += messagesOf((newestFirst[needed] as { value: unknown }).value).length;
      needed++;
    }
    await Promise.all(
      newestFirst.slice(needed).map(({ key }) => this.#store.delete(StoreNamespaces.history, key)),
    );
    return inOrder<M>(
      newestFirst
        .slice(0, needed)
        .reverse()
        .map((page) => page.value),
    ).slice(-keep);
  }

  /**
   * The page that this append pushed out of the kept window, now that page `index` holds `held`
   * messages; -1 when none did. The newest `keep` are the `held` of the newest page and
   * `keep - held` of those before it, so a page falls out each time that count reaches a
   * multiple of the page size.
   */
  #staleIndex(index: number, held: number): number {
    if (this.#keep === undefined) return -1;
    const before = this.#keep - held;
    if (before < 0 || before % HISTORY_PAGE_SIZE !== 0) return -1;
    return index - 1 - before / HISTORY_PAGE_SIZE;
  }

  #load(conversation: string): Promise<Tail<M>> {
    const pending = this.#loading.get(conversation);
    if (pending) return pending;
    const loading = this.#read(conversation).finally(() => this.#loading.delete(conversation));
    this.#loading.set(conversation, loading);
    return loading;
  }

  async #read(conversation: string): Promise<Tail<M>> {
    const prefix = pagePrefix(conversation);
    const [newest] = await this.#store.list<unknown>(StoreNamespaces.history, prefix, {
      reverse: true,
      limit: 1,
    });
    // An append that did not wait for this read may have written meanwhile.
    const written = this.#tails.get(conversation);
    if (written) return written;
    const tail: Tail<M> = newest
      ? {
          index: pageIndex(newest.key, prefix),
          key: newest.key,
          messages: Object.freeze(messagesOf(newest.value).map((m) => Object.freeze(m) as M)),
        }
      : { index: -1, key: '', messages: [] };
    this.#remember(conversation, tail);
    return tail;
  }

  #remember(conversation: string, tail: Tail<M>): void {
    const known = this.#tails.has(conversation);
    this.#tails.set(conversation, tail);
    if (known || this.#tails.size <= this.#maxTails) return;
    // A tenth at once, the longest remembered first (insertion order), skipping the one just set
    // and those with a write on its way.
    let excess = this.#tails.size - this.#maxTails + Math.floor(this.#maxTails / 10);
    for (const key of this.#tails.keys()) {
      if (excess <= 0) break;
      if (key === conversation || this.#writing.has(key)) continue;
      this.#tails.delete(key);
      excess--;
    }
  }
}

/**
 * Schema step 2: history kept as an entry per message (`<conversation>\u001e<timestamp, 15
 * digits>\u001e<message id>`) becomes pages of {@link HistoryPages}. Idempotent: pages are
 * written from the pages already there and the per-message entries together, then the entries
 * are deleted, so a step cut short is completed by running it again.
 */
export async function pageHistory(store: Store): Promise<void> {
  const byConversation = new Map<string, { pages: unknown[]; entries: { key: string; value: unknown }[] }>();
  for (const entry of await store.list<unknown>(StoreNamespaces.history)) {
    const at = entry.key.indexOf(SEP);
    if (at < 0) continue;
    const conversation = entry.key.slice(0, at);
    const found = byConversation.get(conversation) ?? { pages: [], entries: [] };
    byConversation.set(conversation, found);
    if (entry.key.indexOf(SEP, at + 1) < 0) found.pages.push(entry.value);
    else found.entries.push(entry);
  }
  for (const [conversation, { pages, entries }] of byConversation) {
    if (entries.length === 0) continue;
    const paged = pages.flatMap((page) => messagesOf(page));
    const ids = new Set(paged.map((m) => m.id));
    const unpaged = messagesOf(entries.map((e) => e.value)).filter((m) => !ids.has(m.id));
    const messages = [...paged, ...unpaged].sort(byTime);
    const writes: Promise<void>[] = [];
    for (let index = 0; index * HISTORY_PAGE_SIZE < messages.length; index++) {
      const page = messages.slice(index * HISTORY_PAGE_SIZE, (index + 1) * HISTORY_PAGE_SIZE);
      writes.push(store.put(StoreNamespaces.history, pageKey(conversation, index), page));
    }
    await Promise.all(writes);
    await Promise.all(entries.map(({ key }) => store.delete(StoreNamespaces.history, key)));
  }
}

function pagePrefix(conversation: string): string {
  return `${conversation}${SEP}`;
}

function pageKey(conversation: string, index: number): string {
  // Joined: one flat string, which the store keeps as it is.
  return [conversation, SEP, String(index).padStart(INDEX_DIGITS, '0')].join('');
}

function pageIndex(key: string, prefix: string): number {
  const digits = key.slice(prefix.length);
  if (!/^\d+$/.test(digits)) {
    throw new Error(`store: history key ${JSON.stringify(key)} is not a page of its conversation`);
  }
  return Number(digits);
}

/** The messages of a page as read from a store: those that have an id and a timestamp. */
function messagesOf<M extends PagedMessage>(value: unknown): M[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (m): m is M =>
      typeof m === 'object' && m !== null && typeof m.id === 'string' && typeof m.timestamp === 'number',
  );
}

/** Pages' messages, oldest first; a message appended late sorts in among the others. */
function inOrder<M extends PagedMessage>(pages: unknown[]): M[] {
  return pages.flatMap((page) => messagesOf<M>(page)).sort(byTime);
}

function byTime(a: PagedMessage, b: PagedMessage): number {
  return a.timestamp - b.timestamp;
}

/** A new frozen page: `messages` with `message` in timestamp order. */
function withMessage<M extends PagedMessage>(messages: readonly M[], message: M): readonly M[] {
  let at = messages.length;
  while (at > 0 && (messages[at - 1] as M).timestamp > message.timestamp) at--;
  // Sized once: copying and then inserting would grow the copy, to half again its size.
  const next = new Array<M>(messages.length + 1);
  for (let i = 0; i < at; i++) next[i] = messages[i] as M;
  next[at] = message;
  for (let i = at; i < messages.length; i++) next[i + 1] = messages[i] as M;
  return Object.freeze(next);
}
