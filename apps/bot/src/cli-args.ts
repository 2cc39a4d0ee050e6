import { ConfabError } from '@confab/core';
import { parseCliOptions } from './cli-options.js';

/** The subcommands of `confab`. */
export type CommandName = 'run' | 'check' | 'init';

const COMMANDS: readonly string[] = ['run', 'check', 'init', 'discord', 'matrix'];

/** What the command line asked for. */
export type CliRequest =
  | { readonly action: 'help' }
  | {
      readonly action: 'discord-add-mate';
      readonly mate: string;
      readonly config: string;
      /** `--env`: variable holding the token. */
      readonly envVar?: string;
      /** `--api`: Discord REST base URL (an emulator in tests). */
      readonly apiUrl?: string;
      readonly debug: boolean;
    }
  | {
      readonly action: 'matrix-register';
      readonly mate: string;
      readonly config: string;
      readonly debug: boolean;
    }
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
  discord add-mate NAME
           Record the env variable with NAME's bot token in the config, check the token,
           print the invite URL and the developer-portal steps
  matrix register MATE
           Create MATE's Matrix user by shared-secret registration (registrationSharedSecret
           of the matrix transport) and keep its access token in the bot's store

Options:
  -c, --config <file>   Config file (default: confab.yaml)
      --grace <seconds> run: time allowed to finish replies on SIGINT/SIGTERM (default: 10)
      --force           init: overwrite existing files
      --env <VAR>       discord add-mate: variable holding the token (default: NAME_DISCORD_TOKEN)
      --api <url>       discord add-mate: Discord API base URL (default: Discord's; for an emulator)
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
  let parsed: ReturnType<typeof parseCliOptions>;
  try {
    parsed = parseCliOptions(argv);
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
  if (command === 'discord') return discordRequest(rest, values);
  if (command === 'matrix') return matrixRequest(rest, values);
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

function discordRequest(
  rest: readonly string[],
  values: ReturnType<typeof parseCliOptions>['values'],
): CliRequest {
  const [sub, mate, extra] = rest;
  if (sub !== 'add-mate') throw new UsageError('discord expects a subcommand: discord add-mate NAME');
  if (mate === undefined)
    throw new UsageError('discord add-mate expects the mate name: discord add-mate NAME');
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  return {
    action: 'discord-add-mate',
    mate,
    config: values.config,
    ...(values.env !== undefined ? { envVar: values.env } : {}),
    ...(values.api !== undefined ? { apiUrl: values.api } : {}),
    debug: values.debug,
  };
}

function matrixRequest(
  rest: readonly string[],
  values: ReturnType<typeof parseCliOptions>['values'],
): CliRequest {
  const [sub, mate, extra] = rest;
  if (sub !== 'register') throw new UsageError('matrix expects a subcommand: matrix register MATE');
  if (mate === undefined) throw new UsageError('matrix register expects the mate name: matrix register MATE');
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  return { action: 'matrix-register', mate, config: values.config, debug: values.debug };
}
