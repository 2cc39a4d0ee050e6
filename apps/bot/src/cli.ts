#!/usr/bin/env node
import { processStopSignals } from './stop-signals.js';

const argv = process.argv.slice(2);
const debug = argv.includes('--debug');
const printError = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (!stream.writable) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * Exits with `code` once stdout and stderr hold nothing unwritten. Writes to a pipe are
 * asynchronous: past what the pipe buffers (64 KiB), exiting at once would cut a long report off,
 * its closing count included. The exit itself is explicit all the same: a plugin that leaves a
 * handle open must not keep a stopped bot alive.
 */
async function exit(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

/** Reports a failure the way every other is reported, and exits. */
async function fail(error: unknown): Promise<never> {
  const { reportError } = await import('./error-report.js');
  return exit(reportError(error, printError, debug));
}

// A plugin's stray rejection or throw leaves the bot in an unknown state: report it as the bug
// it is, the same way as any other, and exit rather than limp on.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

// Before anything that declares an injectable class.
await import('reflect-metadata');
const { main } = await import('./main.js');
const code = await main({
  argv,
  cwd: process.cwd(),
  env: process.env,
  print: (text) => process.stdout.write(`${text}\n`),
  printError,
  stopSignals: processStopSignals(),
});
// pino flushes its own stream on exit.
await exit(code);
