import type { EventBus, Logger } from '@confab/core';
import { HostError, type HostOptions, type LoadInfo } from './worker/host-api.js';
import { InlineWorker } from './worker/inline-worker.js';
import type { ModelWorker } from './worker/model-worker.js';
import { ProcessWorker } from './worker/process-worker.js';

/** What a pool needs besides the model options. */
export interface WorkerPoolOptions {
  readonly backend: string;
  readonly profile: string;
  readonly workers: number;
  readonly mode: 'process' | 'inline';
  readonly host: HostOptions;
  readonly events: EventBus;
  readonly logger: Logger;
  /** Pause before trying again when a replacement fails to load. */
  readonly respawnDelayMs?: number;
}

/** A worker and the sequences it serves now. */
export interface WorkerSlot {
  readonly worker: ModelWorker;
  busy: number;
}

type Waiter = (slot: WorkerSlot | undefined) => void;

/**
 * Keeps a profile's workers alive: starts them, hands out the least busy one with a free
 * sequence, and replaces a worker that dies (announcing both on the event bus).
 */
export class WorkerPool {
  private readonly slots: WorkerSlot[] = [];
  private readonly waiters: Waiter[] = [];
  private spawned = 0;
  private stopped = false;
  private info?: LoadInfo;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts every worker; rejects with the first load failure (after stopping the others). */
  async start(): Promise<LoadInfo> {
    const started = await Promise.allSettled(
      Array.from({ length: this.options.workers }, () => this.spawn()),
    );
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await this.stop();
      throw failure.reason;
    }
    return this.info!;
  }

  /** Workers loaded and serving. */
  alive(): number {
    return this.slots.length;
  }

  /** Workers' process ids (process mode), for supervision tests and diagnostics. */
  pids(): number[] {
    return this.slots.map((slot) => slot.worker.pid).filter((pid): pid is number => pid !== undefined);
  }

  /**
   * Runs `task` on the least busy worker with a free sequence, waiting for one (a replacement
   * still loading, or every sequence busy) when needed. Rejects when the pool is stopped.
   */
  async run<T>(task: (worker: ModelWorker) => Promise<T>): Promise<T> {
    const slot = await this.acquire();
    try {
      return await task(slot.worker);
    } finally {
      slot.busy--;
      this.wake();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => slot.worker.stop()));
  }

  /** Resolves with a worker whose sequence count already includes the caller. */
  private acquire(): Promise<WorkerSlot> {
    const free = this.leastBusy();
    if (free) {
      free.busy++;
      return Promise.resolve(free);
    }
    const stopped = () => new HostError('unavailable', `${this.options.profile}: the backend is stopping`);
    if (this.stopped) return Promise.reject(stopped());
    return new Promise<WorkerSlot>((resolve, reject) => {
      this.waiters.push((slot) => (slot ? resolve(slot) : reject(stopped())));
    });
  }

  private leastBusy(): WorkerSlot | undefined {
    let best: WorkerSlot | undefined;
    for (const slot of this.slots) {
      if (slot.busy >= this.options.host.sequences) continue;
      if (!best || slot.busy < best.busy) best = slot;
    }
    return best;
  }

  private wake(): void {
    while (this.waiters.length > 0) {
      const slot = this.leastBusy();
      if (!slot) return;
      // Reserve before handing over, so two waiters never take the last sequence.
      slot.busy++;
      this.waiters.shift()!(slot);
    }
  }

  private async spawn(): Promise<void> {
    const { backend, profile, mode, host, events } = this.options;
    const id = `${backend}/${profile}#${++this.spawned}`;
    const worker: ModelWorker = mode === 'inline' ? new InlineWorker(id, host) : new ProcessWorker(id, host);
    this.info = await worker.start();
    if (this.stopped) {
      await worker.stop();
      return;
    }
    const slot: WorkerSlot = { worker, busy: 0 };
    worker.onDeath((message) => this.died(slot, message));
    this.slots.push(slot);
    events.emit('worker.started', { backend, profile, worker: id, alive: this.slots.length });
    this.wake();
  }

  private died(slot: WorkerSlot, message: string): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    const { backend, profile, events, logger } = this.options;
    logger.warn({ worker: slot.worker.id, profile }, `llama.cpp worker died (${message}); replacing it`);
    events.emit('worker.died', {
      backend,
      profile,
      worker: slot.worker.id,
      alive: this.slots.length,
      message,
    });
    void this.respawn();
  }

  private async respawn(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.spawn();
        return;
      } catch (error) {
        this.options.logger.error(
          { err: error, profile: this.options.profile },
          'llama.cpp worker replacement failed to load; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, this.options.respawnDelayMs ?? 2_000));
      }
    }
  }
}
