import { inject, injectable } from 'tsyringe';
import type { Backend, StreamPart } from '../backend/backend.js';
import type { SchedulerConfig } from '../config/schema.js';
import { ConfabError } from '../errors/confab-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { BackendRegistry } from '../runtime/registries.js';
import { Tokens } from '../tokens.js';
import { ChurnMap } from '../collections/churn-map.js';
import { FairQueue } from './fair-queue.js';
import { generateRequest } from './generate-request.js';
import { PartChannel } from './part-channel.js';
import type {
  CancelFilter,
  JobHandle,
  JobRequest,
  ProfileStats,
  Scheduler,
  SubmitResult,
} from './scheduler.js';

interface Job extends JobRequest {
  readonly channel: PartChannel<StreamPart>;
  readonly controller: AbortController;
  readonly enqueuedAt: number;
  readonly lane: Lane;
  /** Set when the scheduler ended the job's stream (cancel, timeout, failure). */
  closedBy?: 'cancel' | 'timeout';
  cancelReason?: string;
  worker?: Worker;
  startedAt?: number;
  timer?: NodeJS.Timeout;
}

interface Worker {
  readonly id: string;
  running: number;
  generation: number;
}

/** One backend profile: its queue, its workers and what runs on them. */
interface Lane {
  readonly key: string;
  readonly backend: Backend;
  readonly profile: string;
  readonly workers: Worker[];
  readonly parallel: number;
  readonly queue: FairQueue<Job>;
  /** Jobs running on the lane's workers. */
  running: number;
  /** Conversations with a running job (a set: the values mean nothing). */
  readonly runningConversations: ChurnMap<true>;
  /** Whether a waiting job may start: its conversation has none running. */
  readonly startable: (job: Job) => boolean;
  batchTimer?: NodeJS.Timeout;
}

/** Resolves the scheduler section of the config for DI. */
export const SchedulerConfigToken = Symbol.for('confab.SchedulerConfig');

/**
 * The default, in-process scheduler. Per backend profile it keeps the profile's workers, each
 * running up to `parallel` jobs at once (one batch on backends that batch), and feeds them from
 * a fair queue: humans first, round-robin across users, one job at a time per conversation.
 */
@injectable()
export class LocalScheduler implements Scheduler {
  private readonly lanes = new Map<string, Lane>();
  private readonly jobs = new ChurnMap<Job>();
  private readonly perUser = new ChurnMap<number>();
  private stopping = false;
  private idle: (() => void) | undefined;

  constructor(
    @inject(Tokens.Backends) private readonly backends: BackendRegistry,
    @inject(SchedulerConfigToken) private readonly config: SchedulerConfig,
    @inject(Tokens.EventBus) private readonly events: EventBus,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    for (const backend of this.backends.all()) {
      for (const profile of backend.profiles()) {
        const capacity = backend.capacity(profile);
        const key = laneKey(backend.name, profile);
        const runningConversations = new ChurnMap<true>();
        const lane: Lane = {
          key,
          backend,
          profile,
          workers: [],
          parallel: Math.max(1, capacity.parallel),
          queue: new FairQueue<Job>(),
          running: 0,
          runningConversations,
          startable: (job) => !runningConversations.has(job.conversation),
        };
        // A backend that supervises its own workers (processes) reports their lives itself.
        const selfSupervised = typeof backend.workersAlive === 'function';
        for (let i = 0; i < Math.max(1, capacity.workers); i++) {
          lane.workers.push({ id: `${key}#${i + 1}`, running: 0, generation: 1 });
          if (!selfSupervised)
            this.events.emit('worker.started', {
              backend: backend.name,
              profile,
              worker: `${key}#${i + 1}`,
              alive: i + 1,
            });
        }
        this.lanes.set(key, lane);
      }
    }
  }

  submit(request: JobRequest): SubmitResult {
    const lane = this.lanes.get(laneKey(request.backend, request.profile));
    if (!lane) return reject('unknown-profile', 0, 0);
    if (this.stopping) return reject('stopping', 0, lane.queue.size);
    if (this.jobs.has(request.id))
      throw new ConfabError('scheduler.duplicate-job', `job ${request.id} is already queued`);
    const userCount = this.perUser.get(request.user) ?? 0;
    if (userCount >= this.config.maxPerUser) return reject('user-limit', this.config.maxPerUser, userCount);
    if (lane.queue.size >= this.config.maxQueue)
      return reject('queue-full', this.config.maxQueue, lane.queue.size);

    const job = newJob(request, lane);
    this.jobs.set(job.id, job);
    this.perUser.set(job.user, userCount + 1);
    lane.queue.push(job);
    if (this.events.hasListeners('job.queued')) {
      this.events.emit('job.queued', {
        jobId: job.id,
        conversation: job.conversation,
        backend: job.backend,
        profile: job.profile,
        position: lane.queue.positionOf(job),
      });
    }
    this.pump(lane);
    const handle: JobHandle = {
      id: job.id,
      parts: job.channel,
      position: () => (job.startedAt === undefined && this.jobs.has(job.id) ? lane.queue.positionOf(job) : 0),
      waiting: () => job.startedAt === undefined && this.jobs.has(job.id),
      cancel: (reason) => {
        this.cancelJob(job, reason);
      },
    };
    return { accepted: true, handle };
  }

  cancel(filter: CancelFilter, reason: string): number {
    let count = 0;
    for (const job of this.jobs.values()) {
      if (filter.jobId !== undefined && job.id !== filter.jobId) continue;
      if (filter.room !== undefined && job.room !== filter.room) continue;
      if (filter.conversation !== undefined && job.conversation !== filter.conversation) continue;
      if (filter.user !== undefined && job.user !== filter.user) continue;
      if (this.cancelJob(job, reason)) count++;
    }
    return count;
  }

  stats(): ProfileStats[] {
    return [...this.lanes.values()].map((lane) => ({
      backend: lane.backend.name,
      profile: lane.profile,
      workers: lane.workers.length,
      workersAlive: lane.backend.workersAlive?.(lane.profile) ?? lane.workers.length,
      running: lane.running,
      waiting: lane.queue.size,
    }));
  }

  positionOf(user: string): number {
    let best = 0;
    for (const lane of this.lanes.values()) {
      const first = lane.queue.firstOf(user);
      if (!first) continue;
      const position = lane.queue.positionOf(first);
      if (best === 0 || position < best) best = position;
    }
    return best;
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const lane of this.lanes.values()) {
      clearTimeout(lane.batchTimer);
      for (const job of lane.queue.remove(() => true)) this.closeWaiting(job, 'shutting down');
    }
    if (this.jobs.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    for (const job of this.jobs.values()) this.cancelJob(job, 'shutting down');
  }

  private pump(lane: Lane): void {
    while (lane.queue.size > 0) {
      const worker = leastBusy(lane);
      if (!worker) return;
      const { minJobs, maxWaitMs } = this.config.batching;
      if (maxWaitMs > 0 && lane.queue.size < minJobs && lane.running === 0) {
        // Let a batch fill: start when minJobs wait, or maxWaitMs after the oldest arrived.
        const oldest = this.oldestWaiting(lane);
        const waited = Date.now() - oldest;
        if (waited < maxWaitMs) {
          if (!lane.batchTimer) {
            lane.batchTimer = setTimeout(() => {
              lane.batchTimer = undefined;
              this.pump(lane);
            }, maxWaitMs - waited);
          }
          return;
        }
      }
      const job = lane.queue.take(lane.startable);
      if (!job) return;
      this.run(lane, worker, job);
    }
    clearTimeout(lane.batchTimer);
    lane.batchTimer = undefined;
  }

  private oldestWaiting(lane: Lane): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const job of this.jobs.values()) {
      if (job.lane === lane && job.startedAt === undefined) oldest = Math.min(oldest, job.enqueuedAt);
    }
    return oldest;
  }

  private run(lane: Lane, worker: Worker, job: Job): void {
    job.worker = worker;
    job.startedAt = Date.now();
    worker.running++;
    lane.running++;
    lane.runningConversations.set(job.conversation, true);
    job.timer = setTimeout(() => this.timeout(job), this.config.jobTimeoutMs);
    if (this.events.hasListeners('job.started')) {
      this.events.emit('job.started', { jobId: job.id, conversation: job.conversation, worker: worker.id });
    }
    const generation = worker.generation;
    void this.drive(job).then(
      () => this.release(lane, worker, job),
      (error: unknown) => {
        // generate() must report failures as parts; a throw means the worker is broken.
        this.logger.error(
          { err: error, conversation: job.conversation, worker: worker.id },
          'backend worker crashed',
        );
        this.push(job, {
          type: 'error',
          error: { kind: 'internal', message: errorText(error), cause: error },
        });
        this.release(lane, worker, job);
        if (worker.generation === generation) this.replaceWorker(lane, worker, errorText(error));
      },
    );
  }

  private async drive(job: Job): Promise<void> {
    const parts = job.lane.backend.generate(
      generateRequest(
        { profile: job.profile, system: job.system, messages: job.messages, sampling: job.sampling },
        job.controller,
      ),
    );
    for await (const part of parts) {
      // The job was cancelled or timed out: leaving the loop ends the backend's stream.
      if (job.closedBy) break;
      this.push(job, part);
      if (part.type === 'text-delta' && this.events.hasListeners('job.token')) {
        this.events.emit('job.token', { jobId: job.id, conversation: job.conversation, text: part.text });
      }
      if (part.type === 'finish') {
        if (!this.events.hasListeners('job.finished')) continue;
        this.events.emit('job.finished', {
          jobId: job.id,
          conversation: job.conversation,
          reason: part.reason,
          usage: part.usage,
          durationMs: Date.now() - (job.startedAt ?? job.enqueuedAt),
        });
      } else if (part.type === 'error') {
        this.events.emit('job.failed', {
          jobId: job.id,
          conversation: job.conversation,
          kind: part.error.kind,
          message: part.error.message,
        });
      }
    }
    if (!job.channel.closed && !job.closedBy) {
      // A stream that ends without finish or error was cut short; say so instead of hanging.
      this.push(job, {
        type: 'error',
        error: { kind: 'internal', message: 'backend stream ended without finishing' },
      });
    }
  }

  private push(job: Job, part: StreamPart): void {
    job.channel.push(part);
    if (part.type === 'finish' || part.type === 'error') job.channel.end();
  }

  private release(lane: Lane, worker: Worker, job: Job): void {
    clearTimeout(job.timer);
    if (!job.channel.closed) job.channel.end();
    worker.running = Math.max(0, worker.running - 1);
    lane.running--;
    lane.runningConversations.delete(job.conversation);
    this.forget(job);
    this.pump(lane);
  }

  private replaceWorker(lane: Lane, worker: Worker, message: string): void {
    const alive = lane.workers.length - 1;
    this.events.emit('worker.died', {
      backend: lane.backend.name,
      profile: lane.profile,
      worker: worker.id,
      alive,
      message,
    });
    worker.generation++;
    this.events.emit('worker.started', {
      backend: lane.backend.name,
      profile: lane.profile,
      worker: worker.id,
      alive: lane.workers.length,
    });
  }

  private timeout(job: Job): void {
    if (job.closedBy || job.channel.closed) return;
    job.closedBy = 'timeout';
    job.controller.abort(new Error('timeout'));
    this.events.emit('job.failed', {
      jobId: job.id,
      conversation: job.conversation,
      kind: 'timeout',
      message: `job ran longer than ${this.config.jobTimeoutMs} ms`,
    });
    this.push(job, {
      type: 'error',
      error: { kind: 'timeout', message: `no reply within ${this.config.jobTimeoutMs} ms` },
    });
  }

  private cancelJob(job: Job, reason: string): boolean {
    if (job.startedAt === undefined) {
      if (job.lane.queue.remove((j) => j === job).length === 0) return false;
      this.closeWaiting(job, reason);
      return true;
    }
    if (job.closedBy || job.channel.closed) return false;
    job.closedBy = 'cancel';
    job.cancelReason = reason;
    job.controller.abort(new Error(reason));
    this.events.emit('job.cancelled', { jobId: job.id, conversation: job.conversation, reason });
    this.push(job, { type: 'finish', reason: 'aborted', usage: { inputTokens: 0, outputTokens: 0 } });
    return true;
  }

  private closeWaiting(job: Job, reason: string): void {
    this.events.emit('job.cancelled', { jobId: job.id, conversation: job.conversation, reason });
    this.push(job, { type: 'finish', reason: 'aborted', usage: { inputTokens: 0, outputTokens: 0 } });
    this.forget(job);
  }

  private forget(job: Job): void {
    if (!this.jobs.delete(job.id)) return;
    const count = (this.perUser.get(job.user) ?? 1) - 1;
    if (count <= 0) this.perUser.delete(job.user);
    else this.perUser.set(job.user, count);
    if (this.jobs.size === 0 && this.idle) {
      const idle = this.idle;
      this.idle = undefined;
      idle();
    }
  }
}

/**
 * Every field written out, the optional ones too, instead of spreading the request: a job built
 * by spread, and then given its run-time fields, outlived young-generation collections on Node 20
 * (a third of all allocation promoted, scavenges of several milliseconds on every message).
 */
function newJob(request: JobRequest, lane: Lane): Job {
  return {
    id: request.id,
    backend: request.backend,
    profile: request.profile,
    conversation: request.conversation,
    user: request.user,
    room: request.room,
    priority: request.priority,
    system: request.system,
    messages: request.messages,
    sampling: request.sampling,
    channel: new PartChannel<StreamPart>(),
    controller: new AbortController(),
    enqueuedAt: Date.now(),
    lane,
    closedBy: undefined,
    cancelReason: undefined,
    worker: undefined,
    startedAt: undefined,
    timer: undefined,
  };
}

function laneKey(backend: string, profile: string): string {
  return `${backend}/${profile}`;
}

function leastBusy(lane: Lane): Worker | undefined {
  let best: Worker | undefined;
  for (const worker of lane.workers) {
    if (worker.running < lane.parallel && (!best || worker.running < best.running)) best = worker;
  }
  return best;
}

function reject(
  reason: 'queue-full' | 'user-limit' | 'unknown-profile' | 'stopping',
  limit: number,
  waiting: number,
): SubmitResult {
  return { accepted: false, rejection: { reason, limit, waiting } };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
