import { readFileSync } from 'node:fs';

/** The bot's version, from its package.json (one directory above `dist/`). */
export function botVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
