import { applyStoreMigrations, STORE_MIGRATIONS, type StoreMigration } from './migrations.js';
import type { ListOptions, Store, StoreEntry } from './store.js';
import { assertStoreKey, assertStoreValue } from './store-validation.js';

/** `store.path` value that selects a {@link MemoryStore}: nothing is written to disk. */
export const MEMORY_STORE_PATH = ':memory:';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Migrations applied at `open()`; defaults to core's {@link STORE_MIGRATIONS}. */
  readonly migrations?: readonly StoreMigration[];
}

/**
 * A {@link Store} in process memory, for tests and for `store.path: ':memory:'`. Data survives
 * `close()` and a later `open()` of the same instance, so tests can simulate a restart. Values
 * are kept as JSON text and keys validated and listed in UTF-8 byte order, as the embedded store
 * does, so code tested against this store behaves the same there.
 */
export class MemoryStore implements Store {
  readonly #namespaces = new Map<string, Map<string, string>>();
  readonly #migrations: readonly StoreMigration[];
  #open = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#migrations = options.migrations ?? STORE_MIGRATIONS;
  }

  async open(): Promise<void> {
    if (this.#open) return;
    this.#open = true;
    try {
      await applyStoreMigrations(this, this.#migrations, MEMORY_STORE_PATH);
    } catch (error) {
      this.#open = false;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#open = false;
  }

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    const text = this.#entries(namespace, key)?.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async put<T>(namespace: string, key: string, value: T): Promise<void> {
    const text = toJson(namespace, key, value);
    this.#entriesToWrite(namespace, key).set(key, text);
  }

  async putIfAbsent<T>(namespace: string, key: string, value: T): Promise<boolean> {
    const text = toJson(namespace, key, value);
    // Check and write in one synchronous stretch: no other call can interleave.
    const entries = this.#entriesToWrite(namespace, key);
    if (entries.has(key)) return false;
    entries.set(key, text);
    return true;
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    return this.#entries(namespace, key)?.delete(key) ?? false;
  }

  async list<T>(namespace: string, prefix = '', options: ListOptions = {}): Promise<StoreEntry<T>[]> {
    const entries = this.#entries(namespace, prefix);
    if (!entries) return [];
    const keys = inUtf8Order([...entries.keys()].filter((key) => key.startsWith(prefix)));
    if (options.reverse) keys.reverse();
    return keys
      .slice(0, options.limit)
      .map((key) => ({ key, value: JSON.parse(entries.get(key) as string) as T }));
  }

  #entries(namespace: string, key: string): Map<string, string> | undefined {
    if (!this.#open) throw new Error('store: not open; call open() first');
    assertStoreKey(namespace, key);
    return this.#namespaces.get(namespace);
  }

  #entriesToWrite(namespace: string, key: string): Map<string, string> {
    let entries = this.#entries(namespace, key);
    if (!entries) {
      entries = new Map();
      this.#namespaces.set(namespace, entries);
    }
    return entries;
  }
}

function toJson(namespace: string, key: string, value: unknown): string {
  assertStoreValue(namespace, key, value);
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`store: value for ${namespace}/${key} has no JSON form`);
  return text;
}

/**
 * The keys sorted as LMDB sorts them, by their UTF-8 bytes. The default string order compares
 * UTF-16 code units and puts characters above U+FFFF before U+E000–U+FFFF.
 */
function inUtf8Order(keys: string[]): string[] {
  return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
