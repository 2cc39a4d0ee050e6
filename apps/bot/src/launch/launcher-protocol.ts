// What the launcher (`run-in-child.ts`) and the bot it starts tell each other: the bot learns the
// launcher's pid from its environment, and the stop signals the launcher receives over IPC.

/** The signals that ask `confab run` to stop: a first one gracefully, a second one at once. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** A stop signal the launcher received, as it sends it to the bot over their IPC channel. */
export interface RelayedSignal {
  readonly type: 'confab.signal';
  readonly signal: (typeof STOP_SIGNALS)[number];
}

export function relayedSignal(signal: RelayedSignal['signal']): RelayedSignal {
  return { type: 'confab.signal', signal };
}

export function isRelayedSignal(message: unknown): message is RelayedSignal {
  if (typeof message !== 'object' || message === null) return false;
  const { type, signal } = message as Record<string, unknown>;
  return type === 'confab.signal' && STOP_SIGNALS.includes(signal as RelayedSignal['signal']);
}

/** Set by the launcher in the bot's environment: the launcher's pid. */
export const LAUNCHER_PID_VARIABLE = 'CONFAB_LAUNCHER_PID';

/** How the launcher started this process, as the bot reports it. */
export interface LaunchInfo {
  readonly launcherPid: number;
  /** The V8 helper threads it asked for (`--v8-pool-size`). */
  readonly v8PoolSize: number | undefined;
}
