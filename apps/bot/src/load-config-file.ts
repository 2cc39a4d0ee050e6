import { dirname, resolve } from 'node:path';
import { type LoadedConfig, loadConfig } from '@confab/core';
import { createPluginImporter } from './plugin-importer.js';

/**
 * The store of a config whose `store` names no plugin (and whose `store.path` is not
 * `':memory:'`): LMDB at `store.path`, on disk by default. The bot depends on it, so it is found
 * among the bot's own dependencies when nothing nearer provides it.
 */
export const DEFAULT_STORE_PLUGIN = '@confab/store-lmdb';

/**
 * Loads and validates the config file `file` (relative to `cwd`, named as given in messages),
 * importing the plugins it names from beside it, then from `cwd`, then from the bot's own
 * dependencies.
 */
export async function loadConfigFile(
  file: string,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LoadedConfig> {
  const path = resolve(cwd, file);
  const importPlugin = createPluginImporter({ configDir: dirname(path), cwd });
  // Messages name the file as the user typed it, unless that would not find it from here.
  const named = resolve(file) === path ? file : path;
  return loadConfig(named, { importPlugin, env, cwd, defaultStorePlugin: DEFAULT_STORE_PLUGIN });
}
