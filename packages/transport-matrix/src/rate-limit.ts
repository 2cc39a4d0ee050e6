/**
 * How long Synapse asked to wait when it refused a request with `M_LIMIT_EXCEEDED`, in ms, for
 * core's `withRetryAfter`; `undefined` for every other error. matrix-bot-sdk throws a
 * `MatrixError` carrying `errcode` and `retryAfterMs` (read duck-typed: the class may come from
 * another copy of the SDK).
 */
export function matrixRetryAfterMs(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { errcode?: unknown; retryAfterMs?: unknown; body?: { retry_after_ms?: unknown } };
  if (e.errcode !== 'M_LIMIT_EXCEEDED') return undefined;
  const wait = typeof e.retryAfterMs === 'number' ? e.retryAfterMs : e.body?.retry_after_ms;
  // Synapse always sends retry_after_ms; a server that does not gets a short default pause.
  return typeof wait === 'number' && Number.isFinite(wait) ? wait : 1000;
}
