import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link withRetryAfter}. */
export interface RetryAfterOptions {
  /**
   * How long the platform asked to wait before trying again, in ms, when `error` is a rate-limit
   * refusal (Matrix `M_LIMIT_EXCEEDED` with `retry_after_ms`, HTTP 429 with `Retry-After`);
   * `undefined` for any other error, which is then thrown at once.
   */
  readonly retryAfterMs: (error: unknown) => number | undefined;
  /** Retries after the first attempt; default 5. */
  readonly maxRetries?: number;
  /** A single wait longer than this gives up instead of stalling a reply; default 60 s. */
  readonly maxWaitMs?: number;
  /** Called before each wait, e.g. to log it. */
  readonly onRetry?: (info: {
    readonly waitMs: number;
    readonly attempt: number;
    readonly error: unknown;
  }) => void;
  /** Aborts the waiting; the last error is thrown. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `operation`, and when the platform refuses it for a rate limit, waits as long as the
 * platform said and tries again, up to `maxRetries` times. Platform-neutral: each transport
 * only says how to read the wait from its errors.
 */
export async function withRetryAfter<T>(operation: () => Promise<T>, options: RetryAfterOptions): Promise<T> {
  const maxRetries = options.maxRetries ?? 5;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const requested = options.retryAfterMs(error);
      if (requested === undefined || attempt > maxRetries || options.signal?.aborted) throw error;
      // A negative or missing wait still backs off a little, so a retry never hammers the server.
      const waitMs = Math.max(requested, 50);
      if (waitMs > maxWaitMs) throw error;
      options.onRetry?.({ waitMs, attempt, error });
      // An abort ends the wait early (sleep rejects); the last error is thrown below.
      await sleep(waitMs, undefined, { signal: options.signal }).catch(() => {});
      if (options.signal?.aborted) throw error;
    }
  }
}
