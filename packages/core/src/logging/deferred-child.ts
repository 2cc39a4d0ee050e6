import type { LogFields, Logger } from './logger.js';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
type Args = [fields: LogFields | string, msg?: string];

/**
 * A child logger built only when something is logged. Creating a pino child serialises its
 * bindings and allocates several objects, which the engine would otherwise pay on every message
 * although most messages log nothing. `bindings` is called at most once.
 */
export class DeferredChildLogger implements Logger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: () => LogFields,
  ) {}

  trace(...args: Args): void {
    this.#log('trace', args);
  }

  debug(...args: Args): void {
    this.#log('debug', args);
  }

  info(...args: Args): void {
    this.#log('info', args);
  }

  warn(...args: Args): void {
    this.#log('warn', args);
  }

  error(...args: Args): void {
    this.#log('error', args);
  }

  fatal(...args: Args): void {
    this.#log('fatal', args);
  }

  child(bindings: LogFields): Logger {
    return this.#logger().child(bindings);
  }

  #logger(): Logger {
    this.#child ??= this.parent.child(this.bindings());
    return this.#child;
  }

  #log(level: Level, [fields, msg]: Args): void {
    const logger = this.#logger();
    if (typeof fields === 'string') logger[level](fields);
    else logger[level](fields, msg);
  }
}
