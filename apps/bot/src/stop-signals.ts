/** The signals that ask `confab run` to stop: a first one gracefully, a second one at once. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** A request to stop the bot. */
export interface StopRequest {
  /** What asked: a signal's name, or why the request came without one. */
  readonly reason: string;
  /** Whether it is a signal, so that a second one while stopping means "exit at once". */
  readonly signal: boolean;
}

/** Where requests to stop a running bot come from. */
export interface StopSignals {
  /** Calls `listener` with each request from now on; returns what ends the subscription. */
  subscribe(listener: (request: StopRequest) => void): () => void;
}

/** The process's own SIGINT and SIGTERM, listened to while someone subscribes. */
export function processStopSignals(): StopSignals {
  return {
    subscribe(listener) {
      const onSignal = (signal: NodeJS.Signals) => listener({ reason: signal, signal: true });
      for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
      return () => {
        for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      };
    },
  };
}
