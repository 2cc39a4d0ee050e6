#!/usr/bin/env node
import { processStopSignals } from './stop-signals.js';

const argv = process.argv.slice(2);
const debug = argv.includes('--debug');
const printError = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

/** Reports a failure the way every other is reported, and exits. */
async function fail(error: unknown): Promise<never> {
  const { reportError } = await import('./error-report.js');
  process.exit(reportError(error, printError, debug));
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
// Exit explicitly: a plugin that leaves a handle open must not keep a stopped bot alive.
// stdout and stderr are synchronous for files and pipes, and pino flushes on exit.
process.exit(code);
