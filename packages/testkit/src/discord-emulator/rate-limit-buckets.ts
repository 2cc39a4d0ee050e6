/** A bucket's size: at most `limit` requests per `windowMs`. */
export interface BucketLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** What a bucket says about one request. */
export type BucketVerdict =
  | {
      readonly allowed: true;
      readonly limit: number;
      readonly remaining: number;
      readonly resetAfterMs: number;
    }
  | { readonly allowed: false; readonly limit: number; readonly retryAfterMs: number };

interface Bucket {
  used: number;
  resetAt: number;
}

/**
 * Per-route rate-limit buckets as Discord keeps them: a fixed window per bucket key (route and
 * major parameter, e.g. one channel's message edits), reported to the client through the
 * `X-RateLimit-*` headers so a well-behaved client never needs a 429.
 */
export class RateLimitBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The bucket's state without spending a request (for headers on an injected 429). */
  peek(key: string, size: BucketLimit): { remaining: number; resetAfterMs: number } {
    const now = this.now();
    const bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) return { remaining: size.limit, resetAfterMs: size.windowMs };
    return { remaining: Math.max(0, size.limit - bucket.used), resetAfterMs: bucket.resetAt - now };
  }

  take(key: string, size: BucketLimit): BucketVerdict {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) {
      bucket = { used: 0, resetAt: now + size.windowMs };
      this.buckets.set(key, bucket);
    }
    if (bucket.used >= size.limit) {
      return { allowed: false, limit: size.limit, retryAfterMs: bucket.resetAt - now };
    }
    bucket.used++;
    return {
      allowed: true,
      limit: size.limit,
      remaining: size.limit - bucket.used,
      resetAfterMs: bucket.resetAt - now,
    };
  }
}
