const BRAND = Symbol.for('confab.ConfabError');

/**
 * An error a person can act on: its message says what is wrong and what to do. The CLI prints
 * it without a stack trace; anything else is a bug and is logged with its stack.
 */
export class ConfabError extends Error {
  override readonly name: string = 'ConfabError';
  /** Stable machine-readable code, e.g. `config.invalid`, `plugin.not-found`. */
  readonly code: string;
  readonly [BRAND] = true;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for a {@link ConfabError}, also one thrown by another copy of this package. */
export function isConfabError(error: unknown): error is ConfabError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}
