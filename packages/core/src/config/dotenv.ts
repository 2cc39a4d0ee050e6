import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { ConfigIssue } from './config-error.js';
import type { Env } from './env-expand.js';

/**
 * A copy of `env` with the variables it lacks filled from the `.env` beside the config `file`,
 * then from the one in `cwd`. A variable already set (even to "") is never overridden, and
 * `process.env` is never touched. A missing file is not a problem; an unreadable one is.
 */
export async function loadDotenv(
  file: string,
  cwd: string,
  env: Env,
): Promise<{ env: Env; issues: ConfigIssue[] }> {
  const result: Record<string, string | undefined> = { ...env };
  const issues: ConfigIssue[] = [];
  const configDir = dirname(resolve(file));
  const files: [string, string][] = [[join(configDir, '.env'), join(dirname(file), '.env')]];
  if (cwd !== configDir) files.push([join(cwd, '.env'), '.env']);
  for (const [path, display] of files) {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      const message = `cannot read the .env file: ${error.code ?? String(error)}`;
      if (error.code !== 'ENOENT') issues.push({ file: display, path: '', message });
      return '';
    });
    for (const [name, value] of Object.entries(parseEnv(text))) result[name] ??= value;
  }
  return { env: result, issues };
}
