/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

type LogMethod = {
  (msg: string): void;
  (fields: LogFields, msg?: string): void;
};

/**
 * Structured logger (pino-compatible). Every line about a message carries its conversation key
 * in the `conversation` field.
 */
export interface Logger {
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  fatal: LogMethod;
  child(bindings: LogFields): Logger;
}
