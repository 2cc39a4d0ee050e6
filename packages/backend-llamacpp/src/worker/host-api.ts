import type { BackendErrorKind, BackendMessage, FinishReason, TokenUsage } from '@confab/core';

/** What a worker needs to load its model: resolved paths and numbers only, so it crosses IPC. */
export interface HostOptions {
  readonly modelPath: string;
  readonly contextSize: number;
  readonly sequences: number;
  readonly gpu: 'auto' | 'off' | 'cuda' | 'vulkan' | 'metal';
  readonly gpuLayers: number | 'auto' | 'max';
  readonly threads: number;
  readonly batchSize?: number;
}

/** Sampling after merging the profile's defaults with the request's options. */
export interface ResolvedSampling {
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly minP?: number;
  readonly repeatPenalty?: number;
  readonly seed?: number;
  readonly maxTokens: number;
  readonly ignoreEos: boolean;
}

/** One chat generation as a worker runs it. */
export interface HostChatRequest {
  readonly system: string;
  /** Oldest first; the worker drops the oldest (never the last) until the prompt fits. */
  readonly messages: readonly BackendMessage[];
  /** The most tokens the prompt may take, in the model's chat format. */
  readonly maxPromptTokens: number;
  readonly sampling: ResolvedSampling;
}

/** How a chat generation ended (errors are thrown as {@link HostError}). */
export interface HostChatOutcome {
  readonly reason: Exclude<FinishReason, 'error'>;
  readonly usage: TokenUsage;
}

/** What a loaded worker reports. */
export interface LoadInfo {
  /** Context window per sequence, in tokens. */
  readonly contextTokens: number;
  /** The chat wrapper node-llama-cpp chose from the model's template. */
  readonly chatWrapper: string;
  readonly threads: number;
}

/**
 * The operations a worker offers, the same in-process (`ModelHost`) and across IPC
 * (`ProcessWorker`), so the pool does not care where the model lives.
 */
export interface HostApi {
  chat(
    request: HostChatRequest,
    onDelta: (text: string) => void,
    signal: AbortSignal,
  ): Promise<HostChatOutcome>;
  /** Takes a sequence for a raw session; returns its id. */
  openSession(): Promise<number>;
  addText(session: number, text: string): Promise<void>;
  /** Generates up to `count` tokens (fewer at end of generation) and returns their text. */
  generateTokens(session: number, count: number, sampling: ResolvedSampling): Promise<string>;
  sessionText(session: number): Promise<string>;
  resetSession(session: number): Promise<void>;
  closeSession(session: number): Promise<void>;
}

export type HostMethod = keyof HostApi;

/** A failure inside a worker, with the kind the engine uses to word the user's notice. */
export class HostError extends Error {
  override readonly name = 'HostError';

  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    /** Stable code for load failures (`model.not-found`, `model.not-gguf`, `model.too-large`, `model.load-failed`). */
    readonly code?: string,
  ) {
    super(message);
  }
}
