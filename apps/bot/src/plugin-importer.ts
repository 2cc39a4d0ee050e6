import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PluginImporter } from '@confab/core';
import { moduleResolve } from 'import-meta-resolve';

/** Where plugin packages are looked up, first match wins. */
export interface PluginSearch {
  /** Directory of the config file: plugins installed next to it come first. */
  readonly configDir: string;
  /** The working directory, for a config kept apart from the project that installs the plugins. */
  readonly cwd: string;
}

/** Directory of the bot itself, whose dependencies (our own plugins) are the last resort. */
const BOT_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The conditions Node's own `import` uses. */
const IMPORT_CONDITIONS = new Set(['node', 'import']);

/** Node's ESM resolution from a module in `dir`; throws (as Node would) when nothing is found. */
function resolveFrom(specifier: string, dir: string): URL {
  // The parent only has to be a URL inside the directory; the file need not exist.
  return moduleResolve(specifier, pathToFileURL(join(dir, 'confab.config.js')), IMPORT_CONDITIONS, false);
}

function isPathSpecifier(specifier: string): boolean {
  return /^(?:\.{1,2}[/\\]|file:)/.test(specifier) || isAbsolute(specifier);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** "Cannot find package 'x'": not installed where we looked, so the next place may have it. */
function isPackageMissing(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (
    code === 'ERR_MODULE_NOT_FOUND' &&
    message.startsWith('Cannot find package') &&
    message.includes(`'${packageName(specifier)}'`)
  );
}

/**
 * Resolves a plugin specifier as Node resolves an `import` written in a file next to the config
 * (package `exports` with the `import` condition, symlinks followed), then in the working
 * directory, then among the bot's own dependencies. A path (`./plugins/x.js`) is relative to the
 * config, like every other path in it.
 *
 * Node 20 cannot do this by itself: `import.meta.resolve(specifier, parent)` needs a flag there,
 * and `createRequire().resolve` picks the `require` condition, so ESM-only packages fail. The
 * `import-meta-resolve` package is Node's resolver, ported.
 *
 * @returns the module's `file:` URL.
 * @throws Node's resolution error (`ERR_MODULE_NOT_FOUND`, `ERR_PACKAGE_PATH_NOT_EXPORTED`, ...)
 *   from the first place looked in, which the config loader turns into a config issue.
 */
export function resolvePlugin(specifier: string, search: PluginSearch): URL {
  if (isPathSpecifier(specifier)) {
    const url = specifier.startsWith('file:')
      ? new URL(specifier)
      : pathToFileURL(resolvePath(search.configDir, specifier));
    return moduleResolve(url.href, url, IMPORT_CONDITIONS, false);
  }
  let firstError: unknown;
  for (const dir of new Set([search.configDir, search.cwd, BOT_DIR])) {
    try {
      return resolveFrom(specifier, dir);
    } catch (error) {
      // Found but broken (subpath not exported, dist missing): that is the answer, not a miss.
      if (!isPackageMissing(error, specifier)) throw error;
      firstError ??= error;
    }
  }
  throw firstError;
}

/** A {@link PluginImporter} for `loadConfig` that finds plugins as {@link resolvePlugin} does. */
export function createPluginImporter(search: PluginSearch): PluginImporter {
  return async (specifier) => import(resolvePlugin(specifier, search).href);
}
