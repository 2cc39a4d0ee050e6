import { ChurnMap } from '../collections/churn-map.js';
import { applyStoreMigrations, STORE_MIGRATIONS, type StoreMigration } from './migrations.js';
import type { ListOptions, Store, StoreEntry } from './store.js';
import { SortedKeys } from './sorted-keys.js';
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
 * Values are kept as JSON text, as the embedded store keeps them, so callers can never mutate
 * stored state. Keys are listed in UTF-8 byte order and validated like {@link LmdbStore}'s, so
 * code tested against this store behaves the same on the embedded one.
 */
export class MemoryStore implements Store {
  // Values are JSON text. Entries come and go on every message (history written and pruned),
  // so each namespace is a ChurnMap, whose table does not keep dropped values alive.
  readonly #namespaces = new Map<string, ChurnMap<string>>();
  /** Keys of each namespace in UTF-8 byte order, so listing a prefix is a binary search, not a scan. */
  readonly #sorted = new Map<string, SortedKeys>();
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
    const entries = this.#entries(namespace, key);
    if (!entries?.has(key)) return undefined;
    return JSON.parse(entries.get(key) as string) as T;
  }

  async put<T>(namespace: string, key: string, value: T): Promise<void> {
    assertStoreValue(namespace, key, value);
    const entries = this.#entriesToWrite(namespace, key);
    if (!entries.has(key)) this.#insertKey(namespace, key);
    entries.set(key, jsonText(value));
  }

  async putIfAbsent<T>(namespace: string, key: string, value: T): Promise<boolean> {
    assertStoreValue(namespace, key, value);
    // Check and write happen in one synchronous stretch, so no other call can interleave.
    const entries = this.#entriesToWrite(namespace, key);
    if (entries.has(key)) return false;
    this.#insertKey(namespace, key);
    entries.set(key, jsonText(value));
    return true;
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    const deleted = this.#entries(namespace, key)?.delete(key) ?? false;
    if (deleted) this.#sorted.get(namespace)?.delete(key);
    return deleted;
  }

  async list<T>(namespace: string, prefix = '', options: ListOptions = {}): Promise<StoreEntry<T>[]> {
    const entries = this.#entries(namespace, prefix);
    if (!entries) return [];
    const result: StoreEntry<T>[] = [];
    const sorted = this.#sorted.get(namespace);
    const keys = options.reverse ? sorted?.withPrefixReversed(prefix) : sorted?.withPrefix(prefix);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    for (const key of keys ?? []) {
      if (result.length >= limit) break;
      result.push({ key, value: JSON.parse(entries.get(key) as string) as T });
    }
    return result;
  }

  #insertKey(namespace: string, key: string): void {
    let keys = this.#sorted.get(namespace);
    if (!keys) {
      keys = new SortedKeys();
      this.#sorted.set(namespace, keys);
    }
    keys.insert(key);
  }

  #entries(namespace: string, key: string): ChurnMap<string> | undefined {
    if (!this.#open) throw new Error('store: not open; call open() first');
    assertStoreKey(namespace, key);
    return this.#namespaces.get(namespace);
  }

  #entriesToWrite(namespace: string, key: string): ChurnMap<string> {
    let entries = this.#entries(namespace, key);
    if (!entries) {
      entries = new ChurnMap();
      this.#namespaces.set(namespace, entries);
    }
    return entries;
  }
}

/**
 * `JSON.stringify` builds text longer than a few dozen characters as a tree of joined pieces;
 * reading a character makes V8 flatten it into one string, which the next collection keeps
 * alone: about 40% less memory for a stored message, and fewer objects for the GC to walk.
 */
function jsonText(value: unknown): string {
  const text = JSON.stringify(value);
  text.charCodeAt(0);
  return text;
}
