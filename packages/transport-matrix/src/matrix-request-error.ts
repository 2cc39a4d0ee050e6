import { isConfabError } from '@confab/core';

/**
 * A failed homeserver request, reduced to what is safe to log. matrix-bot-sdk throws raw HTTP
 * responses or request-library errors for some failures; those carry the request, whose
 * `Authorization` header holds the access token, so they never leave the transport as they are.
 */
export class MatrixRequestError extends Error {
  override readonly name = 'MatrixRequestError';

  constructor(
    message: string,
    /** Matrix error code (`M_FORBIDDEN`, ...), when the homeserver sent one. */
    readonly errcode?: string,
    readonly statusCode?: number,
    /** Node's network error code (`ECONNREFUSED`, ...), when the request never got an answer. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The error as a {@link MatrixRequestError} (ConfabErrors pass unchanged). */
export function toSafeError(error: unknown): Error {
  if (error instanceof MatrixRequestError || isConfabError(error)) return error as Error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const body = (typeof e.body === 'object' && e.body !== null ? e.body : {}) as Record<string, unknown>;
  const errcode =
    typeof e.errcode === 'string' ? e.errcode : typeof body.errcode === 'string' ? body.errcode : undefined;
  const detail =
    typeof e.error === 'string' ? e.error : typeof body.error === 'string' ? body.error : undefined;
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const cause = (typeof e.cause === 'object' && e.cause !== null ? e.cause : {}) as Record<string, unknown>;
  const code = typeof e.code === 'string' ? e.code : typeof cause.code === 'string' ? cause.code : undefined;
  const what = errcode
    ? `${errcode}${detail ? `: ${detail}` : ''}`
    : (code ??
      (statusCode !== undefined
        ? `HTTP ${statusCode}`
        : error instanceof Error
          ? error.message
          : 'no answer'));
  return new MatrixRequestError(`matrix request failed (${what})`, errcode, statusCode, code);
}
