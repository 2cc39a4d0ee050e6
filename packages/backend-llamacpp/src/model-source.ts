import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Logger } from '@confab/core';
import { resolveModelFile } from 'node-llama-cpp';

/** Whether a profile's `model` is a URI to download rather than a local path. */
export function isModelUri(model: string): boolean {
  return /^(hf|huggingface|https?):/i.test(model);
}

/** Default download directory for model URIs. */
export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'confab', 'models');
}

/** Resolves a local model path against the config file's directory. */
export function localModelPath(model: string, configDir: string): string {
  return isAbsolute(model) ? model : resolve(configDir, model);
}

/**
 * Resolves a model URI to a file in `cacheDir`, downloading it the first time: a progress bar
 * on a terminal, progress log lines (every 10%) otherwise. A file already there is reused.
 */
export async function downloadModel(uri: string, cacheDir: string, logger: Logger): Promise<string> {
  const terminal = Boolean(process.stderr.isTTY);
  let reported = -1;
  return resolveModelFile(uri, {
    directory: cacheDir,
    cli: terminal,
    onProgress: terminal
      ? undefined
      : ({ totalSize, downloadedSize }) => {
          const percent = totalSize > 0 ? Math.floor((downloadedSize / totalSize) * 10) * 10 : 0;
          if (percent === reported) return;
          reported = percent;
          logger.info({ model: uri, downloadedSize, totalSize }, `downloading model: ${percent}%`);
        },
  });
}
