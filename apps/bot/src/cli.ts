#!/usr/bin/env node
// First, before anything that declares an injectable class.
import 'reflect-metadata';
import { reportError } from './error-report.js';
import { main } from './main.js';

const argv = process.argv.slice(2);
const printError = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

// A plugin's stray rejection or throw leaves the bot in an unknown state: report it as the bug
// it is, the same way as any other, and exit rather than limp on.
const crash = (error: unknown): void => {
  process.exit(reportError(error, printError, argv.includes('--debug')));
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

const code = await main({
  argv,
  cwd: process.cwd(),
  env: process.env,
  print: (text) => process.stdout.write(`${text}\n`),
  printError,
});
// Exit explicitly: a plugin that leaves a handle open must not keep a stopped bot alive.
// stdout and stderr are synchronous for files and pipes, and pino flushes on exit.
process.exit(code);
