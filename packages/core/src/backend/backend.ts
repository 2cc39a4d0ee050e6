/** One message of a conversation as a backend sees it. */
export interface BackendMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
  /** Speaker's display name, for rooms where several people talk to one mate. */
  readonly name?: string;
}

/** Sampling options; a backend warns about those it cannot honour. */
export interface SamplingOptions {
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly minP?: number;
  readonly repeatPenalty?: number;
  readonly seed?: number;
  readonly maxTokens?: number;
}

/** A chat request: plain data plus an abort signal. */
export interface GenerateRequest {
  /** Profile name within the backend. */
  readonly profile: string;
  /** The mate's system prompt. */
  readonly system: string;
  /** Oldest first; the last one is what the mate answers. */
  readonly messages: readonly BackendMessage[];
  readonly sampling: SamplingOptions;
  /**
   * The most tokens the system prompt and `messages` may take together in the model's prompt.
   * The backend drops the oldest messages, never the last one, until the prompt fits, counting
   * where it tokenizes for the model; a backend that cannot tokenize estimates
   * (`trimToBudget` with `estimateTokens`). The rest of the context is the reply's.
   */
  readonly maxPromptTokens: number;
  /** Aborts when the job is cancelled or times out. */
  readonly signal: AbortSignal;
}

/** Token counts of one generation. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Why a generation ended. */
export type FinishReason = 'stop' | 'length' | 'aborted' | 'error';

/**
 * What kind of failure an error part reports; the engine picks the user's message from it.
 * `auth`: the model server refused the bot's credentials (a bad or revoked key), which only the
 * operator can fix. `crashed`: the model stopped in the middle of a reply (a local worker
 * died) and is being replaced, so asking again works.
 */
export type BackendErrorKind =
  | 'unavailable'
  | 'overloaded'
  | 'timeout'
  | 'bad-request'
  | 'auth'
  | 'crashed'
  | 'internal';

/** A failure, reported as a stream part rather than thrown. */
export interface BackendFailure {
  readonly kind: BackendErrorKind;
  /** Details for the log; never shown to chat users. */
  readonly message: string;
  readonly cause?: unknown;
}

/** One part of a backend's output stream. */
export type StreamPart =
  | { readonly type: 'stream-start'; readonly warnings: readonly string[] }
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'finish'; readonly reason: FinishReason; readonly usage: TokenUsage }
  | { readonly type: 'error'; readonly error: BackendFailure };

/** How much work a profile takes at once. */
export interface BackendCapacity {
  /** Workers (processes, connections) the profile keeps. */
  readonly workers: number;
  /** Sequences each worker generates together (1 when the backend does not batch). */
  readonly parallel: number;
  /** Context window in tokens; the engine derives each request's `maxPromptTokens` from it. */
  readonly contextTokens: number;
}

/**
 * Turns chat requests into streams of parts. Errors are parts of the stream, not exceptions.
 */
export interface Backend {
  /** Instance name from the config (`backends[].name`). */
  readonly name: string;
  /** Profile names this backend serves. */
  profiles(): readonly string[];
  capacity(profile: string): BackendCapacity;
  /** Load models / check servers. A failure here is a clear, user-actionable error. */
  start(): Promise<void>;
  stop(): Promise<void>;
  generate(request: GenerateRequest): AsyncIterable<StreamPart>;
  /**
   * Workers of the profile that are alive now, for backends that supervise their own workers
   * (processes that can die and be replaced). Omitted: all of `capacity().workers`.
   */
  workersAlive?(profile: string): number;
}
