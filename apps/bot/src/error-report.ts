import { isConfabError } from '@confab/core';
import { UsageError } from './cli-args.js';

/** Where the CLI writes what a person reads about a failure. */
export type Print = (text: string) => void;

/**
 * Prints a failure for a person and returns the exit code: 2 for a command line that makes no
 * sense, 1 for everything else. An error the user can act on (a {@link ConfabError}) is its
 * message alone; anything else is a bug, printed as one line, with the stack only on `--debug`.
 */
export function reportError(error: unknown, printError: Print, debug: boolean): number {
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
