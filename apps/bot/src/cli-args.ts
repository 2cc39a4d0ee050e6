import { parseArgs } from 'node:util';
import { ConfabError } from '@confab/core';

/** The subcommands of `confab`. */
export type CommandName = 'run' | 'check' | 'init';

const COMMANDS: readonly CommandName[] = ['run', 'check', 'init'];

/** What the command line asked for. */
export type CliRequest =
  | { readonly action: 'help' }
  | { readonly action: 'version' }
  | {
      readonly action: CommandName;
      /** Config file as given (default `confab.yaml`), relative to the working directory. */
      readonly config: string;
      /** `init`: overwrite existing files. */
      readonly force: boolean;
      /** `run`: most time a graceful stop may take, in ms. */
      readonly graceMs: number;
      /** Print stack traces of unexpected errors. */
      readonly debug: boolean;
    };

/** Usage text of `confab --help`. */
export const USAGE = `Usage: confab <command> [options]

Commands:
  run      Run the bot described by the config file
  check    Validate the config and load its plugins without connecting anywhere
  init     Write a commented starter confab.yaml and .env.example in this directory

Options:
  -c, --config <file>   Config file (default: confab.yaml)
      --grace <seconds> run: time allowed to finish replies on SIGINT/SIGTERM (default: 10)
      --force           init: overwrite existing files
      --debug           Print stack traces of unexpected errors
  -h, --help            Show this help
  -v, --version         Show the version

Plugins named in the config are imported like packages installed next to it
(its node_modules, then the working directory's, then confab's own).
`;

/** A command line that makes no sense; the CLI prints it with a pointer to --help. */
export class UsageError extends ConfabError {
  constructor(message: string) {
    super('cli.usage', message);
  }
}

/** Parses `argv` (without node and the script). */
export function parseCliArgs(argv: readonly string[]): CliRequest {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // node:util's messages are already precise ("Unknown option '--x'"); only the type changes.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { action: 'help' };
  if (values.version) return { action: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('no command given');
  if (!COMMANDS.includes(command as CommandName)) {
    throw new UsageError(`unknown command '${command}'; expected one of: ${COMMANDS.join(', ')}`);
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  const grace = Number(values.grace);
  if (!Number.isFinite(grace) || grace < 0) {
    throw new UsageError(`--grace expects a number of seconds, got '${values.grace}'`);
  }
  return {
    action: command as CommandName,
    config: values.config,
    force: values.force,
    graceMs: Math.round(grace * 1000),
    debug: values.debug,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c', default: 'confab.yaml' },
      grace: { type: 'string', default: '10' },
      force: { type: 'boolean', default: false },
      debug: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
}
