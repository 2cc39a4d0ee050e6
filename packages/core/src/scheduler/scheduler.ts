import type { BackendMessage, SamplingOptions, StreamPart } from '../backend/backend.js';

/** Whose turn a job is: humans are served ahead of bot-to-bot turns. */
export type JobPriority = 'human' | 'bot';

/** A generation the engine asks the scheduler to run. */
export interface JobRequest {
  /** Unique job id (the inbound event id and the mate). */
  readonly id: string;
  readonly backend: string;
  readonly profile: string;
  /** Conversation key: jobs of one conversation never overtake each other. */
  readonly conversation: string;
  /** Fairness key: the user the job answers. */
  readonly user: string;
  /** Room key, so `!stop` can cancel everything in a room. */
  readonly room: string;
  readonly priority: JobPriority;
  readonly system: string;
  readonly messages: readonly BackendMessage[];
  /** Passed to the backend as `GenerateRequest.maxPromptTokens`. */
  readonly maxPromptTokens: number;
  readonly sampling: SamplingOptions;
}

/** A job the scheduler accepted. */
export interface JobHandle {
  readonly id: string;
  /** The backend's parts, as they come; ends after `finish` or `error`. */
  readonly parts: AsyncIterable<StreamPart>;
  /** Cancel: a waiting job is dropped, a running one aborted (its stream ends `aborted`). */
  cancel(reason: string): void;
}

/** Why the scheduler refused a job. */
export interface JobRejection {
  readonly reason: 'queue-full' | 'user-limit' | 'unknown-profile' | 'stopping';
  /** The limit that was hit. */
  readonly limit: number;
  /** Jobs waiting ahead, for the "busy, you are #N" reply. */
  readonly waiting: number;
}

export type SubmitResult =
  | { readonly accepted: true; readonly handle: JobHandle }
  | { readonly accepted: false; readonly rejection: JobRejection };

/** Queue and worker figures of one backend profile. */
export interface ProfileStats {
  readonly backend: string;
  readonly profile: string;
  readonly workers: number;
  readonly workersAlive: number;
  readonly running: number;
  readonly waiting: number;
}

/** Which jobs to cancel. */
export interface CancelFilter {
  readonly room?: string;
  readonly conversation?: string;
  readonly user?: string;
  readonly jobId?: string;
}

/**
 * Owns the queue between the engine and the backends: fairness, batching, bounds, timeouts and
 * cancellation. Its slots equal the backends' capacity; supervising workers is the backend's.
 */
export interface Scheduler {
  start(): Promise<void>;
  /** Stop taking jobs; let running ones finish for `graceMs`, then cancel the rest. */
  stop(graceMs: number): Promise<void>;
  submit(job: JobRequest): SubmitResult;
  /** Cancels matching waiting and running jobs; returns how many. */
  cancel(filter: CancelFilter, reason: string): number;
  stats(): ProfileStats[];
  /** 1-based position of the user's first waiting job in that profile, 0 when none waits. */
  positionOf(user: string): number;
}
