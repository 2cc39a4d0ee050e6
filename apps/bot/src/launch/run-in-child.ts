import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { LAUNCHER_PID_VARIABLE, relayedSignal, STOP_SIGNALS } from './launcher-protocol.js';

/** What {@link runInChild} starts. */
export interface ChildLaunch {
  /** Node options added to this process's own for the child (`--v8-pool-size=1`). */
  readonly nodeOptions: readonly string[];
  /** The script this process runs, and its arguments. */
  readonly script: string;
  readonly args: readonly string[];
}

/**
 * Runs `script args` again in a child Node process with more Node options, and resolves with the
 * exit code this process should end with: the child's, or 128 plus the number of the signal that
 * killed it, as a shell reports it.
 *
 * The child shares this process's stdin, stdout and stderr (a terminal stays the child's). The
 * stop signals this process receives go to the child over an IPC channel rather than as signals,
 * so that the child can tell a relayed copy from its own copy of the same Ctrl-C
 * (`stop-signals.ts`); if this process dies, the channel closes and the child stops by itself.
 */
export function runInChild(launch: ChildLaunch): Promise<number> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...launch.nodeOptions, launch.script, ...launch.args],
    {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [LAUNCHER_PID_VARIABLE]: String(process.pid) },
    },
  );
  const relay = (signal: (typeof STOP_SIGNALS)[number]) => {
    // Closed channel: the child is exiting, and its exit settles this process.
    if (child.connected) child.send(relayedSignal(signal), () => {});
  };
  for (const signal of STOP_SIGNALS) process.on(signal, relay);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of STOP_SIGNALS) process.off(s, relay);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
