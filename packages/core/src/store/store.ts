/** One key and its value, from {@link Store.list}. */
export interface StoreEntry<T> {
  readonly key: string;
  readonly value: T;
}

/**
 * The bot's own persistent state: room state, reset markers, snapshots, processed event ids,
 * bot identities. Conversation text the platform keeps is never stored here.
 *
 * Values are JSON-serialisable. Keys are grouped in namespaces (see `StoreNamespaces`).
 */
export interface Store {
  open(): Promise<void>;
  close(): Promise<void>;
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  put<T>(namespace: string, key: string, value: T): Promise<void>;
  /** Writes only when the key is absent; true when it wrote. Atomic: used to claim events once. */
  putIfAbsent<T>(namespace: string, key: string, value: T): Promise<boolean>;
  delete(namespace: string, key: string): Promise<boolean>;
  /** Entries of a namespace whose key starts with `prefix`, in key order. */
  list<T>(namespace: string, prefix?: string): Promise<StoreEntry<T>[]>;
}
