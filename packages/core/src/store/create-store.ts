import { resolve } from 'node:path';
import { LmdbStore } from './lmdb-store.js';
import { MemoryStore } from './memory-store.js';
import type { Store } from './store.js';

/** `store.path` value that selects a {@link MemoryStore}: nothing is written to disk. */
export const MEMORY_STORE_PATH = ':memory:';

/**
 * The store core uses when the config names no store plugin: a {@link LmdbStore} in
 * `config.path`, resolved against the directory of the config file, or a {@link MemoryStore}
 * for `':memory:'`. The store is returned unopened; call `open()` before use.
 *
 * @param config The `store` section of the config.
 * @param configDir Directory of the config file, against which a relative path is resolved.
 */
export function createDefaultStore(config: { readonly path: string }, configDir: string): Store {
  if (config.path === MEMORY_STORE_PATH) return new MemoryStore();
  return new LmdbStore({ path: resolve(configDir, config.path), displayPath: config.path });
}
