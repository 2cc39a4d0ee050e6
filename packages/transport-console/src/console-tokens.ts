import type { Readable, Writable } from 'node:stream';

/** The streams the console transport talks through. */
export interface ConsoleStreams {
  readonly input: Readable;
  readonly output: Writable;
}

/** Tokens of `@confab/transport-console`, for applications that embed it. */
export const ConsoleTokens = {
  /**
   * {@link ConsoleStreams}: register it in the bot's container (or a parent) to talk through
   * other streams than `process.stdin` / `process.stdout`, e.g. a socket or a test's `PassThrough`.
   */
  Streams: Symbol.for('confab.transport-console.Streams'),
} as const;
