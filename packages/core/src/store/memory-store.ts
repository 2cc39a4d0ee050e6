import { isFrozenRecord, isFrozenRecordList, jsonCopy } from './json-copy.js';
import { applyStoreMigrations, STORE_MIGRATIONS, type StoreMigration } from './migrations.js';
import type { ListOptions, Store, StoreEntry } from './store.js';
import { SortedMap } from './sorted-map.js';
import { assertStoreKey, assertStoreValue } from './store-validation.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Migrations applied at `open()`; defaults to core's {@link STORE_MIGRATIONS}. */
  readonly migrations?: readonly StoreMigration[];
}

/**
 * A {@link Store} in process memory, for tests and for `store.path: ':memory:'`. Nothing
 * survives the process, but data does survive `close()` and a later `open()` of the same
 * instance, so tests can simulate a restart.
 *
 * Values are kept as copies that equal what a JSON round trip gives (see {@link jsonCopy}), as
 * the embedded store keeps JSON, or as they are when nothing can change them (a frozen record
 * of primitives or a frozen array of such records, see {@link isFrozenRecord} and
 * {@link isFrozenRecordList}); every read hands out a fresh JSON copy, so callers never share
 * state with the store. Keys are listed in UTF-8 byte order and validated like
 * {@link LmdbStore}'s, so code tested against this store behaves the same on the embedded one.
 */
export class MemoryStore implements Store {
  // Each namespace is a SortedMap: keys in UTF-8 byte order, so a lookup is a binary search and
  // listing a prefix is a search and a walk. Values are JSON copies.
  readonly #namespaces = new Map<string, SortedMap<unknown>>();
  readonly #migrations: readonly StoreMigration[];
  #open = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#migrations = options.migrations ?? STORE_MIGRATIONS;
  }

  async open(): Promise<void> {
    if (this.#open) return;
    this.#open = true;
    try {
      await applyStoreMigrations(this, this.#migrations, ':memory:');
    } catch (error) {
      this.#open = false;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#open = false;
  }

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    const value = this.#entries(namespace, key)?.get(key);
    return value === undefined ? undefined : (jsonCopy(value) as T);
  }

  async put<T>(namespace: string, key: string, value: T): Promise<void> {
    assertStoreValue(namespace, key, value);
    this.#entriesToWrite(namespace, key).set(key, stored(value));
  }

  async putIfAbsent<T>(namespace: string, key: string, value: T): Promise<boolean> {
    assertStoreValue(namespace, key, value);
    // Check and write happen in one synchronous stretch, so no other call can interleave.
    const entries = this.#entriesToWrite(namespace, key);
    if (entries.has(key)) return false;
    entries.set(key, stored(value));
    return true;
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    return this.#entries(namespace, key)?.delete(key) ?? false;
  }

  async list<T>(namespace: string, prefix = '', options: ListOptions = {}): Promise<StoreEntry<T>[]> {
    const entries = this.#entries(namespace, prefix);
    if (!entries) return [];
    const result: StoreEntry<T>[] = [];
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const walk = options.reverse ? entries.withPrefixReversed(prefix) : entries.withPrefix(prefix);
    for (const [key, value] of walk) {
      if (result.length >= limit) break;
      result.push({ key, value: jsonCopy(value) as T });
    }
    return result;
  }

  #entries(namespace: string, key: string): SortedMap<unknown> | undefined {
    if (!this.#open) throw new Error('store: not open; call open() first');
    assertStoreKey(namespace, key);
    return this.#namespaces.get(namespace);
  }

  #entriesToWrite(namespace: string, key: string): SortedMap<unknown> {
    let entries = this.#entries(namespace, key);
    if (!entries) {
      entries = new SortedMap();
      this.#namespaces.set(namespace, entries);
    }
    return entries;
  }
}

/** What the store keeps for `value`. */
function stored(value: unknown): unknown {
  return isFrozenRecord(value) || isFrozenRecordList(value) ? value : jsonCopy(value);
}
