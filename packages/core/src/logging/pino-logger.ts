import { destination, pino, type DestinationStream } from 'pino';
import type { Logger } from './logger.js';

const SECRETS = ['token', 'password', 'apiKey', 'accessToken', 'secret'];

/** Field paths whose values never reach a log: secrets up to two levels deep, authorization headers. */
export const REDACTED_PATHS = [
  ...['', '*.', '*.*.'].flatMap((depth) => SECRETS.map((key) => depth + key)),
  'headers.authorization',
  '*.headers.authorization',
];

export interface LoggerOptions {
  readonly level?: string;
  /** Where lines go; stderr by default so stdout stays free for the console transport. */
  readonly destination?: DestinationStream;
}

/** A pino logger with secrets redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination ?? destination({ fd: 2, sync: false }),
  );
}

/** A logger that drops everything, for tests and library defaults. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
