#!/usr/bin/env node
// First, before anything that declares an injectable class.
import 'reflect-metadata';
import { main } from './main.js';

const code = await main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  print: (text) => process.stdout.write(`${text}\n`),
  printError: (text) => process.stderr.write(`${text}\n`),
});
// Exit explicitly: a plugin that leaves a handle open must not keep a stopped bot alive.
// stdout and stderr are synchronous for files and pipes, and pino flushes on exit.
process.exit(code);
