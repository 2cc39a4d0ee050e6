import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { type Logger, redactUrl } from '@confab/core';
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

/** Where to check that a model URI's server can be reached at all. */
function probeTarget(uri: string): string {
  return /^(hf|huggingface):/i.test(uri) ? 'https://huggingface.co' : uri;
}

/**
 * Fails fast when the model's server cannot be reached: node-llama-cpp's downloader retries
 * an unreachable host indefinitely, and an offline first run must instead say what to do.
 */
export async function probeModelServer(uri: string, timeoutMs = 15_000): Promise<void> {
  try {
    await fetch(probeTarget(uri), { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new Error(`${new URL(probeTarget(uri)).host} is not reachable${cause ? ` (${cause})` : ''}`);
  }
}

/**
 * Resolves a model URI to a file in `cacheDir`. A file downloaded before is used as it is, with
 * no network access; otherwise it is downloaded once: a progress bar on a terminal, progress
 * log lines (every 10%) otherwise.
 */
export async function downloadModel(uri: string, cacheDir: string, logger: Logger): Promise<string> {
  try {
    return await resolveModelFile(uri, { directory: cacheDir, download: false, cli: false });
  } catch {
    // Not in the cache yet.
  }
  await probeModelServer(uri);
  const terminal = Boolean(process.stderr.isTTY);
  let reported = -1;
  logger.info({ model: redactUrl(uri), cacheDir }, 'downloading model (first run only)');
  return resolveModelFile(uri, {
    directory: cacheDir,
    cli: terminal,
    onProgress: terminal
      ? undefined
      : ({ totalSize, downloadedSize }) => {
          const percent = totalSize > 0 ? Math.floor((downloadedSize / totalSize) * 10) * 10 : 0;
          if (percent === reported) return;
          reported = percent;
          logger.info({ model: redactUrl(uri), downloadedSize, totalSize }, `downloading model: ${percent}%`);
        },
  });
}
