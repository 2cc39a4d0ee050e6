import type { HostApi, LoadInfo } from './host-api.js';

/** One model copy serving up to `sequences` conversations; in-process or a child process. */
export interface ModelWorker extends HostApi {
  readonly id: string;
  /** Process id for process workers (what a `kill -9` test targets); undefined inline. */
  readonly pid: number | undefined;
  /** Loads the model; rejects with a HostError (with a code) when it cannot. */
  start(): Promise<LoadInfo>;
  stop(): Promise<void>;
  /** Called once if the worker dies unexpectedly (not after `stop()`). */
  onDeath(listener: (message: string) => void): void;
}

/** Thrown for calls in flight or made after the worker process died. */
export class WorkerDiedError extends Error {
  override readonly name = 'WorkerDiedError';
}
