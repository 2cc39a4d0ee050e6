import { mkdir } from 'node:fs/promises';
import {
  applyStoreMigrations,
  assertStoreKey,
  assertStoreValue,
  ConfabError,
  type ListOptions,
  STORE_MIGRATIONS,
  type Store,
  type StoreEntry,
  type StoreMigration,
} from '@confab/core';
import { IF_EXISTS, open, type RootDatabase } from 'lmdb';

/** Options of {@link LmdbStore}. */
export interface LmdbStoreOptions {
  /** Directory of the LMDB environment (`data.mdb`, `lock.mdb`); created if missing. */
  readonly path: string;
  /**
   * How to name the store in error messages, usually the configured `store.path` before it
   * was resolved; defaults to `path`.
   */
  readonly displayPath?: string;
  /** Migrations applied at `open()`; defaults to core's `STORE_MIGRATIONS`. */
  readonly migrations?: readonly StoreMigration[];
}

type Database = RootDatabase<unknown, Uint8Array>;

/**
 * The embedded default `Store`, on LMDB through the `lmdb` package: ACID transactions,
 * crash-safe copy-on-write pages, memory-mapped reads, and several processes may open the same
 * directory at once (LMDB serialises their writes).
 *
 * Layout: one database, keys `namespace NUL key` as raw UTF-8 bytes, values as JSON. One
 * database rather than a named sub-database per namespace because
 * - namespaces stay open-ended: plugins add their own without `maxDbs` (fixed when the
 *   environment opens) or a write transaction to create a sub-database;
 * - raw UTF-8 bytes sort exactly in code point order, so `list` is one range scan over
 *   `namespace NUL prefix`, and a namespace (never containing NUL) cannot bleed into another;
 *   lmdb's default `ordered-binary` key encoding escapes control characters and would not;
 * - the separator keeps every LMDB key non-empty, so `''` is a valid store key.
 * JSON values keep the file readable with `mdb_dump` and independent of msgpack versions.
 */
export class LmdbStore implements Store {
  readonly #path: string;
  readonly #displayPath: string;
  readonly #migrations: readonly StoreMigration[];
  readonly #pendingWrites = new Set<Promise<unknown>>();
  #db: Database | undefined;

  constructor(options: LmdbStoreOptions) {
    this.#path = options.path;
    this.#displayPath = options.displayPath ?? options.path;
    this.#migrations = options.migrations ?? STORE_MIGRATIONS;
  }

  /**
   * Opens (and creates) the environment, then applies the migrations.
   *
   * @throws ConfabError `store.open-failed` when the directory cannot be created or opened;
   *   `store.schema-too-new` when a newer confab wrote it.
   */
  async open(): Promise<void> {
    if (this.#db) return;
    let db: Database;
    try {
      await mkdir(this.#path, { recursive: true });
      db = open<unknown, Uint8Array>({
        path: this.#path,
        // lmdb guesses "file, not directory" for paths with a dot, such as ./confab.data.
        noSubdir: false,
        keyEncoding: 'binary',
        encoding: 'json',
      });
    } catch (error) {
      const shown = this.#displayPath === this.#path ? this.#path : `${this.#displayPath} (${this.#path})`;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfabError(
        'store.open-failed',
        `store: cannot open ${shown}: ${reason}; set store.path to a writable directory`,
        { cause: error },
      );
    }
    this.#db = db;
    try {
      await applyStoreMigrations(this, this.#migrations, this.#displayPath);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Waits for writes in flight, then closes the environment. Closing twice is harmless. */
  async close(): Promise<void> {
    const db = this.#db;
    if (!db) return;
    this.#db = undefined;
    await Promise.allSettled(this.#pendingWrites);
    await db.close();
  }

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    return this.#database().get(encodeKey(namespace, key)) as T | undefined;
  }

  async put<T>(namespace: string, key: string, value: T): Promise<void> {
    assertStoreValue(namespace, key, value);
    const id = encodeKey(namespace, key);
    await this.#write((db) => db.put(id, value));
  }

  async putIfAbsent<T>(namespace: string, key: string, value: T): Promise<boolean> {
    assertStoreValue(namespace, key, value);
    const id = encodeKey(namespace, key);
    // The existence check runs inside the write transaction, so of concurrent claims (also
    // from other processes) exactly one resolves true.
    return this.#write((db) => db.ifNoExists(id, () => db.put(id, value)));
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    const id = encodeKey(namespace, key);
    // A plain remove resolves true even for a missing key; IF_EXISTS makes it report.
    return this.#write((db) => db.remove(id, IF_EXISTS));
  }

  async list<T>(namespace: string, prefix = '', options: ListOptions = {}): Promise<StoreEntry<T>[]> {
    const start = encodeKey(namespace, prefix);
    const end = successor(start);
    const keyOffset = Buffer.byteLength(namespace) + 1;
    const entries: StoreEntry<T>[] = [];
    // A reverse range runs down from its upper bound (which may itself be a key outside the
    // prefix) and has no lower bound here, because lmdb's end bound is exclusive and the prefix
    // alone can be a key: the loop stops once it leaves the prefix.
    const range = options.reverse
      ? this.#database().getRange({ start: end, reverse: true })
      : this.#database().getRange({ start, end });
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    for (const entry of range) {
      if (entries.length >= limit) break;
      const key = Buffer.from(entry.key);
      if (!key.subarray(0, start.length).equals(start)) {
        if (options.reverse && Buffer.compare(key, start) < 0) break;
        continue;
      }
      entries.push({ key: key.toString('utf8', keyOffset), value: entry.value as T });
    }
    return entries;
  }

  #database(): Database {
    if (!this.#db) throw new Error(`store ${this.#displayPath}: not open; call open() first`);
    return this.#db;
  }

  #write<R>(operation: (db: Database) => Promise<R>): Promise<R> {
    const pending = operation(this.#database());
    this.#pendingWrites.add(pending);
    const settle = () => this.#pendingWrites.delete(pending);
    pending.then(settle, settle);
    return pending;
  }
}

function encodeKey(namespace: string, key: string): Buffer {
  assertStoreKey(namespace, key);
  return Buffer.from(`${namespace}\0${key}`, 'utf8');
}

/** The smallest byte string greater than every string that starts with `prefix`. */
function successor(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  // The NUL after the namespace guarantees a byte below 0xff.
  let i = end.length - 1;
  while (end[i] === 0xff) i--;
  end[i] = (end[i] ?? 0) + 1;
  return end.subarray(0, i + 1);
}
