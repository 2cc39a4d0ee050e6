import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import type { ConfigIssue } from './config-error.js';
import type { Env } from './env-expand.js';

/** A `.env` file to read: where it is, and how to name it in messages. */
export interface DotenvFile {
  readonly path: string;
  readonly display: string;
}

/** The environment after `.env` files, and the files that could not be read. */
export interface DotenvResult {
  readonly env: Record<string, string | undefined>;
  readonly issues: readonly ConfigIssue[];
}

/**
 * Returns a copy of `env` where variables that are not set are filled from the given `.env`
 * files, earlier files first. A variable already set (even to an empty string) is never
 * overridden, and `process.env` is never touched. A missing file is not a problem.
 */
export async function loadDotenvFiles(files: readonly DotenvFile[], env: Env): Promise<DotenvResult> {
  const result: Record<string, string | undefined> = { ...env };
  const issues: ConfigIssue[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      issues.push({
        file: file.display,
        path: '',
        message: `cannot read the .env file: ${code ?? String(error)}`,
      });
      continue;
    }
    for (const [name, value] of Object.entries(parseEnv(text))) {
      if (result[name] === undefined) result[name] = value;
    }
  }
  return { env: result, issues };
}

/** The `.env` files for a config in `configDir`: the one beside it, then the one in `cwd`. */
export function dotenvFilesFor(configDir: string, displayDir: string, cwd: string): DotenvFile[] {
  const files: DotenvFile[] = [{ path: join(configDir, '.env'), display: join(displayDir, '.env') }];
  if (cwd !== configDir) files.push({ path: join(cwd, '.env'), display: '.env' });
  return files;
}
