import type { BackendErrorKind } from '@confab/core';

/**
 * The error kind for an HTTP status a model server answered with, so every HTTP backend tells
 * users the same thing for the same failure: 401 and 403 (a bad or revoked key) are `auth`,
 * for the operator to fix, not a request the model could not take. `undefined` (no status: not
 * an HTTP answer) is `internal`.
 */
export function errorKindForStatus(status: number | undefined): BackendErrorKind {
  if (status === undefined) return 'internal';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429 || status === 503) return 'overloaded';
  if (status === 502) return 'unavailable';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 400 && status < 500) return 'bad-request';
  return 'internal';
}
