import type { ResolvedSampling } from './worker/host-api.js';
import type { ModelWorker } from './worker/model-worker.js';
import type { WorkerPool } from './worker-pool.js';

/** Sampling a session's `generate` may override; greedy (temperature 0) unless the profile says otherwise. */
export type SessionSampling = Partial<Omit<ResolvedSampling, 'maxTokens'>>;

/**
 * Raw control over one sequence of a loaded model: append text, generate tokens, read the whole
 * text back. Sessions running at the same time on one worker are batched by llama.cpp.
 */
export interface LlamaSession {
  /** Appends text (tokenized by the model) without generating. */
  add(text: string): Promise<void>;
  /** Generates up to `tokens` tokens (fewer if the model ends), appends them, and returns their text. */
  generate(tokens: number, sampling?: SessionSampling): Promise<string>;
  /** Everything added and generated so far. */
  text(): Promise<string>;
  /** Forgets everything: empty text, empty KV cache. */
  reset(): Promise<void>;
}

class WorkerSession implements LlamaSession {
  constructor(
    private readonly worker: ModelWorker,
    private readonly id: number,
    private readonly defaults: ResolvedSampling,
  ) {}

  add(text: string): Promise<void> {
    return this.worker.addText(this.id, text);
  }

  generate(tokens: number, sampling: SessionSampling = {}): Promise<string> {
    if (!Number.isInteger(tokens) || tokens < 1) {
      return Promise.reject(new RangeError(`generate(tokens): a positive integer, got ${tokens}`));
    }
    return this.worker.generateTokens(this.id, tokens, { ...this.defaults, ...sampling, maxTokens: tokens });
  }

  text(): Promise<string> {
    return this.worker.sessionText(this.id);
  }

  reset(): Promise<void> {
    return this.worker.resetSession(this.id);
  }
}

/**
 * Sessions over one profile's workers. Each session holds one sequence while `fn` runs; with
 * more concurrent sessions than free sequences, the extra ones wait for a sequence.
 */
export class SessionManager {
  constructor(
    private readonly pool: WorkerPool,
    private readonly defaults: ResolvedSampling,
  ) {}

  /** Opens a session, runs `fn` with it, and frees its sequence however `fn` ends. */
  withSession<T>(fn: (session: LlamaSession) => Promise<T>): Promise<T> {
    return this.pool.run(async (worker) => {
      const id = await worker.openSession();
      try {
        return await fn(new WorkerSession(worker, id, this.defaults));
      } finally {
        await worker.closeSession(id).catch(() => {
          // The worker died with the session; its sequence went with it.
        });
      }
    });
  }
}
