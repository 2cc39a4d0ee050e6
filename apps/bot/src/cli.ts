#!/usr/bin/env node
// `confab run` may run the bot in a child Node process with fewer V8 helper threads
// (launch/v8-pool-plan.ts). That is decided first, before anything heavy is loaded, so that the
// launcher that then waits for the child stays small.
import { availableParallelism } from 'node:os';
import { isRunCommand } from './cli-options.js';
import { LAUNCHER_PID_VARIABLE, type LaunchInfo } from './launch/launcher-protocol.js';
import { runInChild } from './launch/run-in-child.js';
import { launchedStopSignals, processStopSignals } from './launch/stop-signals.js';
import { V8_POOL_SIZE_VARIABLE, v8PoolPlan, v8PoolSizeIn, v8PoolSizeOption } from './launch/v8-pool-plan.js';

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

// A bot started by a launcher listens to it from the start; its variable is not passed on.
const launcherPid = Number(process.env[LAUNCHER_PID_VARIABLE]);
delete process.env[LAUNCHER_PID_VARIABLE];
const launch: LaunchInfo | undefined =
  Number.isInteger(launcherPid) && process.send !== undefined
    ? { launcherPid, v8PoolSize: v8PoolSizeIn(process.execArgv) }
    : undefined;
const stopSignals = launch ? launchedStopSignals() : processStopSignals();

if (launch === undefined && isRunCommand(argv)) {
  const plan = v8PoolPlan({
    setting: process.env[V8_POOL_SIZE_VARIABLE],
    nodeOptions: process.env.NODE_OPTIONS,
    execArgv: process.execArgv,
    cpus: availableParallelism(),
  });
  if (plan.kind === 'invalid') {
    printError(`confab: ${plan.message}`);
    process.exit(1);
  }
  if (plan.kind === 'child') {
    const script = process.argv[1] as string;
    const launched = runInChild({ nodeOptions: [v8PoolSizeOption(plan.poolSize)], script, args: argv });
    process.exit(await launched.catch(fail));
  }
}

// Before anything that declares an injectable class.
await import('reflect-metadata');
const { main } = await import('./main.js');
const code = await main({
  argv,
  cwd: process.cwd(),
  env: process.env,
  print: (text) => process.stdout.write(`${text}\n`),
  printError,
  stopSignals,
  ...(launch ? { launch } : {}),
});
// Exit explicitly: a plugin that leaves a handle open must not keep a stopped bot alive.
// stdout and stderr are synchronous for files and pipes, and pino flushes on exit.
process.exit(code);
