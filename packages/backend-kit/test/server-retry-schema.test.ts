import { describe, expect, it } from 'vitest';
import { serverRetrySchema } from '../src/server-retry-schema.js';

describe('serverRetrySchema', () => {
  it('fills in the default pauses when the key is left out', () => {
    expect(serverRetrySchema.parse(undefined)).toEqual({ initialDelayMs: 500, maxDelayMs: 30_000 });
  });

  it('rejects keys it does not know, so a typo is not silently ignored', () => {
    expect(serverRetrySchema.safeParse({ initialDelay: 100 }).success).toBe(false);
  });
});
