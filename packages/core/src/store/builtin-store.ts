import { ConfabError } from '../errors/confab-error.js';
import { MEMORY_STORE_PATH, MemoryStore } from './memory-store.js';
import type { Store } from './store.js';

/**
 * The store of a config that names no `store.plugin`, unopened: core's {@link MemoryStore} for
 * `store.path: ':memory:'`. Core keeps nothing on disk itself; a store that does is a plugin.
 *
 * @throws ConfabError `store.no-plugin` for any other path, so state meant for disk is never
 *   silently kept in memory only.
 */
export function createBuiltinStore(config: { readonly path: string }): Store {
  if (config.path === MEMORY_STORE_PATH) return new MemoryStore();
  throw new ConfabError(
    'store.no-plugin',
    `store.path is ${JSON.stringify(config.path)} but no store plugin is loaded to keep it there; ` +
      `set store.plugin (the confab CLI uses "@confab/store-lmdb"), or store.path: "${MEMORY_STORE_PATH}" to keep state in memory only`,
  );
}
