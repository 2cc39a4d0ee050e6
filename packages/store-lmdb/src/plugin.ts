import { resolve } from 'node:path';
import {
  ConfabError,
  definePlugin,
  MEMORY_STORE_PATH,
  type PluginInstanceInfo,
  type StoreConfig,
  Tokens,
  z,
} from '@confab/core';
import { LmdbStore } from './lmdb-store.js';

/**
 * `@confab/store-lmdb`: the bot's own state in an LMDB environment at `store.path`, resolved
 * against the config file's directory. The confab CLI uses it when `store` names no plugin.
 *
 * ```yaml
 * store:
 *   plugin: '@confab/store-lmdb'
 *   path: ./confab.data
 * ```
 */
export default definePlugin({
  name: '@confab/store-lmdb',
  kind: 'store',
  // The directory is core's `store.path`, which every store keeping a directory shares.
  configSchema: z.object({}).strict(),
  register(container) {
    const { configDir } = container.resolve<PluginInstanceInfo>(Tokens.PluginInstance);
    const { path } = container.resolve<StoreConfig>(Tokens.StoreConfig);
    if (path === MEMORY_STORE_PATH) {
      throw new ConfabError(
        'store.memory-path',
        `store.path "${MEMORY_STORE_PATH}" is core's in-memory store; remove store.plugin to use it, or set store.path to a directory for @confab/store-lmdb`,
      );
    }
    // No I/O here: the environment is created and opened when the bot starts.
    container.register(Tokens.Store, {
      useValue: new LmdbStore({ path: resolve(configDir, path), displayPath: path }),
    });
  },
});
