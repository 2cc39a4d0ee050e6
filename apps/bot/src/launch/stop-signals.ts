import { isRelayedSignal, STOP_SIGNALS } from './launcher-protocol.js';
import { SignalPairing } from './signal-pairing.js';

/** A request to stop the bot. */
export interface StopRequest {
  /** What asked: a signal's name, or why the request came without one. */
  readonly reason: string;
  /** Whether it is a signal, so that a second one while stopping means "exit at once". */
  readonly signal: boolean;
}

/** Where requests to stop a running bot come from. */
export interface StopSignals {
  /**
   * Calls `listener` with each request from now on, after any that came while nobody listened;
   * returns what ends the subscription.
   */
  subscribe(listener: (request: StopRequest) => void): () => void;
}

/** Requests that wait for a listener, so none is lost while the bot is loading. */
class StopRequests implements StopSignals {
  private readonly listeners = new Set<(request: StopRequest) => void>();
  private readonly waiting: StopRequest[] = [];

  emit(request: StopRequest): void {
    if (this.listeners.size === 0) this.waiting.push(request);
    for (const listener of this.listeners) listener(request);
  }

  subscribe(listener: (request: StopRequest) => void): () => void {
    this.listeners.add(listener);
    for (const request of this.waiting.splice(0)) listener(request);
    return () => {
      this.listeners.delete(listener);
    };
  }
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

/**
 * The stop requests of a bot that a launcher started (`run-in-child.ts`): the signals the
 * launcher relays over the IPC channel and the process's own, each pair of copies of one signal
 * counted once ({@link SignalPairing}), and the launcher going away (its channel closing), which
 * asks for a graceful stop. Listens from the moment it is made, so that a signal during loading
 * neither kills the bot nor goes unheard.
 */
export function launchedStopSignals(pairing = new SignalPairing()): StopSignals {
  const requests = new StopRequests();
  const arrive = (source: 'own' | 'relayed', signal: string) => {
    if (pairing.arrive(source, signal)) requests.emit({ reason: signal, signal: true });
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => arrive('own', signal));
  process.on('message', (message: unknown) => {
    if (isRelayedSignal(message)) arrive('relayed', message.signal);
  });
  process.on('disconnect', () => requests.emit({ reason: 'launcher exited', signal: false }));
  return requests;
}
