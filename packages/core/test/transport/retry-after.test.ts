import { describe, expect, it } from 'vitest';
import { withRetryAfter } from '../../src/transport/retry-after.js';

class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super('rate limited');
  }
}
const retryAfterMs = (error: unknown) => (error instanceof RateLimited ? error.waitMs : undefined);

describe('withRetryAfter', () => {
  it('waits as long as the platform asked, then succeeds', async () => {
    let calls = 0;
    const waits: number[] = [];
    const started = Date.now();
    const result = await withRetryAfter(
      async () => {
        calls++;
        if (calls < 3) throw new RateLimited(60);
        return 'sent';
      },
      { retryAfterMs, onRetry: ({ waitMs }) => waits.push(waitMs) },
    );
    expect(result).toBe('sent');
    expect(calls).toBe(3);
    expect(waits).toEqual([60, 60]);
    // It really waited (a lower bound only; never an upper one).
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('throws other errors at once', async () => {
    let calls = 0;
    const boom = new Error('forbidden');
    await expect(
      withRetryAfter(
        async () => {
          calls++;
          throw boom;
        },
        { retryAfterMs },
      ),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
  });

  it('gives up after maxRetries', async () => {
    let calls = 0;
    await expect(
      withRetryAfter(
        async () => {
          calls++;
          throw new RateLimited(1);
        },
        { retryAfterMs, maxRetries: 2 },
      ),
    ).rejects.toBeInstanceOf(RateLimited);
    expect(calls).toBe(3);
  });

  it('gives up when the requested wait is longer than maxWaitMs', async () => {
    let calls = 0;
    await expect(
      withRetryAfter(
        async () => {
          calls++;
          throw new RateLimited(120_000);
        },
        { retryAfterMs, maxWaitMs: 1000 },
      ),
    ).rejects.toBeInstanceOf(RateLimited);
    expect(calls).toBe(1);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = withRetryAfter(
      async () => {
        calls++;
        throw new RateLimited(60_000);
      },
      { retryAfterMs, maxWaitMs: 120_000, signal: controller.signal },
    );
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(RateLimited);
    expect(calls).toBe(1);
  });
});
