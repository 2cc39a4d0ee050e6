import { setTimeout as sleep } from 'node:timers/promises';
import { inject, injectable } from 'tsyringe';
import type { Backend, BackendFailure, StreamPart } from '../backend/backend.js';
import type { SchedulerConfig } from '../config/schema.js';
import { ConfabError } from '../errors/confab-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { BackendRegistry } from '../runtime/registries.js';
import { Tokens } from '../tokens.js';
import { FairQueue } from './fair-queue.js';
import { PartChannel } from './part-channel.js';
import type {
  CancelFilter,
  JobRejection,
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
  /** Set when the scheduler ended the job's stream (cancel, timeout). */
  closedBy?: 'cancel' | 'timeout';
  startedAt?: number;
  timer?: NodeJS.Timeout;
}

/** One backend profile: its queue and the jobs running on its capacity. */
interface Lane {
  readonly backend: Backend;
  readonly profile: string;
  /** Jobs the profile runs at once: its workers times the sequences of each. */
  readonly slots: number;
  readonly queue: FairQueue<Job>;
  /** Conversations with a running job: a conversation's jobs run one after another, so one each. */
  readonly running: Set<string>;
  batchTimer?: NodeJS.Timeout;
}

/**
 * The default, in-process scheduler: the one queue between the engine and the backends. Per
 * backend profile it runs as many jobs at once as the backend has capacity (workers x parallel
 * sequences), fed from a fair queue: humans first, round-robin across users, one job at a time
 * per conversation. Workers themselves (starting, replacing the dead) are the backend's.
 */
@injectable()
export class LocalScheduler implements Scheduler {
  private readonly lanes = new Map<string, Lane>();
  private readonly jobs = new Map<string, Job>();
  private stopping = false;
  /** Aborted once the scheduler is stopping and no job is left. */
  private readonly idle = new AbortController();

  constructor(
    @inject(Tokens.Backends) private readonly backends: BackendRegistry,
    @inject(Tokens.SchedulerConfig) private readonly config: SchedulerConfig,
    @inject(Tokens.EventBus) private readonly events: EventBus,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    for (const backend of this.backends.all()) {
      for (const profile of backend.profiles()) {
        const { workers, parallel } = backend.capacity(profile);
        this.lanes.set(laneKey(backend.name, profile), {
          backend,
          profile,
          slots: Math.max(1, workers) * Math.max(1, parallel),
          queue: new FairQueue<Job>(),
          running: new Set(),
        });
      }
    }
  }

  submit(request: JobRequest): SubmitResult {
    const lane = this.lanes.get(laneKey(request.backend, request.profile));
    if (!lane) return reject('unknown-profile', 0, 0);
    if (this.stopping) return reject('stopping', 0, lane.queue.size);
    if (this.jobs.has(request.id))
      throw new ConfabError('scheduler.duplicate-job', `job ${request.id} is already queued`);
    // Waiting and running, on every profile.
    const userCount = [...this.jobs.values()].filter((job) => job.user === request.user).length;
    if (userCount >= this.config.maxPerUser) return reject('user-limit', this.config.maxPerUser, userCount);
    if (lane.queue.size >= this.config.maxQueue)
      return reject('queue-full', this.config.maxQueue, lane.queue.size);

    const job: Job = {
      ...request,
      channel: new PartChannel<StreamPart>(),
      controller: new AbortController(),
      enqueuedAt: Date.now(),
      lane,
    };
    this.jobs.set(job.id, job);
    lane.queue.push(job);
    this.events.emit('job.queued', {
      jobId: job.id,
      conversation: job.conversation,
      backend: job.backend,
      profile: job.profile,
      position: lane.queue.positionOf(job),
    });
    this.pump(lane);
    const cancel = (reason: string) => void this.cancelJob(job, reason);
    return { accepted: true, handle: { id: job.id, parts: job.channel, cancel } };
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
    return [...this.lanes.values()].map(({ backend, profile, running, queue }) => {
      const workers = Math.max(1, backend.capacity(profile).workers);
      const workersAlive = backend.workersAlive?.(profile) ?? workers;
      return {
        backend: backend.name,
        profile,
        workers,
        workersAlive,
        running: running.size,
        waiting: queue.size,
      };
    });
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
    for (const lane of this.lanes.values()) clearTimeout(lane.batchTimer);
    for (const job of this.jobs.values())
      if (job.startedAt === undefined) this.cancelJob(job, 'shutting down');
    if (this.jobs.size > 0) await sleep(graceMs, undefined, { signal: this.idle.signal }).catch(() => {});
    for (const job of this.jobs.values()) this.cancelJob(job, 'shutting down');
  }

  private pump(lane: Lane): void {
    while (lane.queue.size > 0 && lane.running.size < lane.slots) {
      const { minJobs, maxWaitMs } = this.config.batching;
      if (maxWaitMs > 0 && lane.queue.size < minJobs && lane.running.size === 0) {
        // Let a batch fill: start when minJobs wait, or maxWaitMs after the oldest arrived.
        const waited = Date.now() - this.oldestWaiting(lane);
        if (waited < maxWaitMs) {
          lane.batchTimer ??= setTimeout(() => {
            lane.batchTimer = undefined;
            this.pump(lane);
          }, maxWaitMs - waited);
          return;
        }
      }
      const job = lane.queue.take((waiting) => !lane.running.has(waiting.conversation));
      if (!job) return;
      this.run(lane, job);
    }
    clearTimeout(lane.batchTimer);
    lane.batchTimer = undefined;
  }

  /** When the lane's oldest waiting job came: the job map holds jobs in the order they came. */
  private oldestWaiting(lane: Lane): number {
    for (const job of this.jobs.values())
      if (job.lane === lane && job.startedAt === undefined) return job.enqueuedAt;
    return Number.POSITIVE_INFINITY;
  }

  private run(lane: Lane, job: Job): void {
    job.startedAt = Date.now();
    lane.running.add(job.conversation);
    job.timer = setTimeout(() => this.timeout(job), this.config.jobTimeoutMs);
    this.events.emit('job.started', { jobId: job.id, conversation: job.conversation });
    void this.drive(job).then(
      () => this.release(lane, job),
      (error: unknown) => {
        // generate() reports failures as parts; a throw is a bug in the backend.
        this.logger.error(
          { err: error, conversation: job.conversation, backend: lane.backend.name },
          'backend generate() threw instead of reporting an error part',
        );
        const message = error instanceof Error ? error.message : String(error);
        this.fail(job, { kind: 'internal', message, cause: error });
        this.release(lane, job);
      },
    );
  }

  private async drive(job: Job): Promise<void> {
    const { profile, system, messages, maxPromptTokens, sampling } = job;
    const signal = job.controller.signal;
    const parts = job.lane.backend.generate({ profile, system, messages, maxPromptTokens, sampling, signal });
    for await (const part of parts) {
      // The job was cancelled or timed out: leaving the loop ends the backend's stream.
      if (job.closedBy) break;
      if (part.type === 'error') {
        this.fail(job, part.error);
        continue;
      }
      this.push(job, part);
      if (part.type === 'text-delta') {
        this.events.emit('job.token', { jobId: job.id, conversation: job.conversation, text: part.text });
      } else if (part.type === 'finish') {
        this.events.emit('job.finished', {
          jobId: job.id,
          conversation: job.conversation,
          reason: part.reason,
          usage: part.usage,
          durationMs: Date.now() - (job.startedAt ?? job.enqueuedAt),
        });
      }
    }
    if (!job.channel.closed && !job.closedBy) {
      // A stream that ends without finish or error was cut short; say so instead of hanging.
      this.fail(job, { kind: 'internal', message: 'backend stream ended without finishing' });
    }
  }

  private fail(job: Job, error: BackendFailure): void {
    const { kind, message } = error;
    this.events.emit('job.failed', { jobId: job.id, conversation: job.conversation, kind, message });
    this.push(job, { type: 'error', error });
  }

  private push(job: Job, part: StreamPart): void {
    job.channel.push(part);
    if (part.type === 'finish' || part.type === 'error') job.channel.end();
  }

  private release(lane: Lane, job: Job): void {
    clearTimeout(job.timer);
    job.channel.end();
    lane.running.delete(job.conversation);
    this.forget(job);
    this.pump(lane);
  }

  private timeout(job: Job): void {
    if (job.closedBy || job.channel.closed) return;
    job.closedBy = 'timeout';
    job.controller.abort(new Error('timeout'));
    this.fail(job, { kind: 'timeout', message: `no reply within ${this.config.jobTimeoutMs} ms` });
  }

  /** A waiting job leaves the queue, a running one is aborted; both end their stream `aborted`. */
  private cancelJob(job: Job, reason: string): boolean {
    const waiting = job.startedAt === undefined;
    if (waiting && job.lane.queue.remove((j) => j === job).length === 0) return false;
    if (!waiting) {
      if (job.closedBy || job.channel.closed) return false;
      job.closedBy = 'cancel';
      job.controller.abort(new Error(reason));
    }
    this.events.emit('job.cancelled', { jobId: job.id, conversation: job.conversation, reason });
    this.push(job, { type: 'finish', reason: 'aborted', usage: { inputTokens: 0, outputTokens: 0 } });
    if (waiting) this.forget(job);
    return true;
  }

  private forget(job: Job): void {
    if (this.jobs.delete(job.id) && this.jobs.size === 0 && this.stopping) this.idle.abort();
  }
}

function laneKey(backend: string, profile: string): string {
  return `${backend}/${profile}`;
}

function reject(reason: JobRejection['reason'], limit: number, waiting: number): SubmitResult {
  return { accepted: false, rejection: { reason, limit, waiting } };
}
