import type { BackendErrorKind } from '@confab/core';

/**
 * The error kind for an HTTP status a model server answered with, so every HTTP backend tells
 * users the same thing for the same failure. `undefined` (no status: not an HTTP answer) is
 * `internal`.
 */
export function errorKindForStatus(status: number | undefined): BackendErrorKind {
  if (status === undefined) return 'internal';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429 || status === 503) return 'overloaded';
  if (status === 502) return 'unavailable';
  if (status >= 400 && status < 500) return 'bad-request';
  return 'internal';
}
