import { isConfabError, secretRedactor } from '@confab/core';
import { UsageError } from './cli-args.js';

/** Where the CLI writes what a person reads about a failure. */
export type Print = (text: string) => void;

// Per process, as the CLI is: a failure may be reported from `main` or from an uncaught
// exception in `cli.ts`, long after the command that loaded the config has returned.
const secrets = new Set<string>();
let redact = secretRedactor(secrets);

/**
 * Values that no failure report may show (a loaded config's `secrets`): a plugin's error may
 * quote a key that a server echoed back.
 */
export function hideInReports(values: Iterable<string>): void {
  for (const value of values) secrets.add(value);
  redact = secretRedactor(secrets);
}

/**
 * Prints a failure for a person and returns the exit code: 2 for a command line that makes no
 * sense, 1 for everything else. An error the user can act on (a {@link ConfabError}) is its
 * message alone; anything else is a bug, printed as one line, with the stack only on `--debug`.
 * Values given to {@link hideInReports} are shown as `[redacted]`.
 */
export function reportError(error: unknown, print: Print, debug: boolean): number {
  const printError: Print = (text) => print(redact(text));
  if (error instanceof UsageError) {
    printError(`confab: ${error.message}\nRun 'confab --help' for usage.`);
    return 2;
  }
  if (isConfabError(error)) {
    if (error.code === 'config.invalid') {
      // One `file:line:col path: message` line per problem (the first 50 of a ConfigError, then
      // how many more); a header would only push them down.
      const issues = (error as { issues?: unknown }).issues;
      const count = Array.isArray(issues) ? issues.length : 1;
      printError(
        `${error.message}\nconfab: the config is invalid (${count} problem${count === 1 ? '' : 's'})`,
      );
    } else {
      printError(`confab: ${error.message}`);
    }
    if (debug && error.cause !== undefined) printError(`caused by: ${describeCause(error.cause)}`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  printError(`confab: unexpected error: ${message}`);
  if (debug && error instanceof Error && error.stack) {
    printError(error.stack);
  } else {
    printError(
      'This is a bug in confab or a plugin; run again with --debug for the stack trace and report it.',
    );
  }
  return 1;
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
}
