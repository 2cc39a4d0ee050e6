import { redactUrl } from '@confab/core';

/**
 * Error codes of Node's sockets and undici (the `fetch` both official HTTP clients use) that mean
 * "the server is not there or went away", as opposed to "the server answered with an error".
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Messages undici and the clients use for a body cut off mid-stream, where no code is set. */
const CONNECTION_MESSAGES = [/^terminated$/i, /^fetch failed$/i, /other side closed/i, /socket hang up/i];

/**
 * Whether an error (or any error in its `cause` chain) says the model server could not be
 * reached or dropped the connection. Client libraries wrap the socket error differently (`fetch
 * failed` with a cause, `APIConnectionError`, `terminated`), so the whole chain is searched.
 */
export function isConnectionError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (name === 'APIConnectionError') return true;
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((pattern) => pattern.test(message)))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * A one-line description of an error for a user-facing message: its message, plus the first
 * error code found in its `cause` chain (`fetch failed (ECONNREFUSED)`), which is what tells
 * a person why a server could not be reached. A URL in it is shown without its credentials.
 */
export function describeConnectionError(error: unknown): string {
  const message = redactUrl(error instanceof Error ? error.message : String(error));
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code))
      return message.includes(code) ? message : `${message} (${code})`;
    const errors = (current as { errors?: unknown }).errors;
    // Node reports a refused dual-stack connect as an AggregateError of one error per address.
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : (current as { cause?: unknown }).cause;
  }
  return message;
}
