import type { Store } from './store.js';
import { StoreNamespaces } from './store-namespaces.js';

/** Options of {@link EventLedger}. */
export interface EventLedgerOptions {
  /** Current time in epoch milliseconds; defaults to `Date.now`, replaced in tests. */
  readonly now?: () => number;
}

/**
 * Remembers which inbound events were processed, so the engine answers each platform event once,
 * also when a transport redelivers it after a reconnect or a restart. Entries are keyed
 * `<transport>/<eventId>` (the transport name URI-encoded, so a `/` in it cannot make two pairs
 * collide) and hold the claim time in epoch milliseconds.
 */
export class EventLedger {
  readonly #store: Store;
  readonly #now: () => number;

  constructor(store: Store, options: EventLedgerOptions = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Claims an event for processing: true exactly once per (transport, eventId), false for
   * every later claim, also from another instance or process on the same store.
   */
  claim(transport: string, eventId: string): Promise<boolean> {
    return this.#store.putIfAbsent(StoreNamespaces.events, eventKey(transport, eventId), this.#now());
  }

  /**
   * Forgets claims made more than `olderThanMs` ago (and entries without a timestamp). Keep the
   * retention longer than any platform redelivers events: an event redelivered after its claim
   * is pruned is answered again. Reads the whole namespace: run it now and then, not per message.
   *
   * @returns how many entries were removed.
   */
  async prune(olderThanMs: number): Promise<number> {
    const cutoff = this.#now() - olderThanMs;
    let removed = 0;
    for (const { key, value } of await this.#store.list<unknown>(StoreNamespaces.events)) {
      if (typeof value === 'number' && value >= cutoff) continue;
      if (await this.#store.delete(StoreNamespaces.events, key)) removed++;
    }
    return removed;
  }
}

function eventKey(transport: string, eventId: string): string {
  return `${encodeURIComponent(transport)}/${eventId}`;
}
