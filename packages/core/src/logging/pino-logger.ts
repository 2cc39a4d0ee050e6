import { destination, pino, type DestinationStream } from 'pino';
import type { Logger } from './logger.js';
import { REDACTED, secretRedactor } from './redact-secrets.js';

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
  /**
   * Values never to log, wherever they appear: in a message, an error's message or stack, any
   * field: a loaded config's `secrets`.
   */
  readonly secrets?: Iterable<string>;
}

/**
 * A pino logger with secrets redacted: the values under secret keys ({@link REDACTED_PATHS}),
 * and every occurrence of `options.secrets` in the line as written.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const redact = secretRedactor(options.secrets ?? []);
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: REDACTED },
      // On the serialized line, so no field, serializer or binding is missed.
      hooks: { streamWrite: redact },
    },
    options.destination ?? destination({ fd: 2, sync: false }),
  );
}

/** A logger that drops everything, for tests and library defaults. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
