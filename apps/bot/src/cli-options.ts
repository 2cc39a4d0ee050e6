import { parseArgs } from 'node:util';

/**
 * Parses `argv` (without node and the script) against confab's options, strictly: throws
 * node:util's error for an unknown option or a missing value.
 */
export function parseCliOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c', default: 'confab.yaml' },
      grace: { type: 'string', default: '10' },
      force: { type: 'boolean', default: false },
      env: { type: 'string' },
      api: { type: 'string' },
      debug: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
}
