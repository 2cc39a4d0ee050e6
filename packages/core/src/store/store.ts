/** One key and its value, from {@link Store.list}. */
export interface StoreEntry<T> {
  readonly key: string;
  readonly value: T;
}

/** Options of {@link Store.list}. */
export interface ListOptions {
  /** Newest-last order is the default; `reverse` lists in descending key order. */
  readonly reverse?: boolean;
  /** At most this many entries (from the start of the chosen order). */
  readonly limit?: number;
}

/**
 * The bot's own persistent state, in namespaces (see `StoreNamespaces`) of JSON-serialisable
 * values. Conversation text the platform keeps is never stored here.
 */
export interface Store {
  open(): Promise<void>;
  close(): Promise<void>;
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  put<T>(namespace: string, key: string, value: T): Promise<void>;
  /** Writes only when the key is absent; true when it wrote. Atomic: used to claim events once. */
  putIfAbsent<T>(namespace: string, key: string, value: T): Promise<boolean>;
  delete(namespace: string, key: string): Promise<boolean>;
  /** Entries of a namespace whose key starts with `prefix`, in key order (or reversed), up to `limit`. */
  list<T>(namespace: string, prefix?: string, options?: ListOptions): Promise<StoreEntry<T>[]>;
}
