import { constants } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfabError } from '@confab/core';
import { STARTER_CONFIG, STARTER_ENV_EXAMPLE } from '../starter-files.js';

/** Options of `confab init`. */
export interface InitOptions {
  /** Directory to write into. */
  readonly dir: string;
  /** Config file name, as given with `-c` (default `confab.yaml`). */
  readonly config: string;
  /** Overwrite files that exist. */
  readonly force: boolean;
  /** Where to say what was written. */
  readonly print: (line: string) => void;
}

function envExampleFor(config: string): string {
  const dir = dirname(config);
  return dir === '.' ? '.env.example' : `${dir}/.env.example`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `confab init`: writes a starter config and `.env.example`. Refuses to overwrite anything
 * without `--force`, and then writes nothing at all, so a half-initialised directory never
 * happens.
 */
export async function initCommand(options: InitOptions): Promise<number> {
  const files = [
    { name: options.config, text: STARTER_CONFIG },
    // Beside the config, where confab looks for .env.
    { name: envExampleFor(options.config), text: STARTER_ENV_EXAMPLE },
  ];
  if (!options.force) {
    const taken: string[] = [];
    for (const file of files) if (await exists(resolve(options.dir, file.name))) taken.push(file.name);
    if (taken.length > 0) {
      throw new ConfabError(
        'init.exists',
        `${taken.join(' and ')} already ${taken.length > 1 ? 'exist' : 'exists'}; nothing written (use --force to overwrite)`,
      );
    }
  }
  for (const file of files) {
    await writeFile(resolve(options.dir, file.name), file.text, 'utf8');
    options.print(`wrote ${file.name}`);
  }
  options.print(`next: confab check -c ${options.config} && confab run -c ${options.config}`);
  return 0;
}
