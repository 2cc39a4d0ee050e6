import { dirname, resolve } from 'node:path';
import { type LoadedConfig, loadConfig } from '@confab/core';
import { createPluginImporter } from './plugin-importer.js';

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
  return loadConfig(named, { importPlugin, env, cwd });
}
