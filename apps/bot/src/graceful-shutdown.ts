import type { Logger } from '@confab/core';

/** What the shutdown stops: the part of `Bot` it needs. */
export interface Stoppable {
  stop(graceMs?: number): Promise<void>;
}

/** Options of {@link GracefulShutdown}. */
export interface GracefulShutdownOptions {
  /** Time in-flight replies get to finish before they are cancelled, in ms. */
  readonly graceMs: number;
  /**
   * Extra time, after the grace, for plugins to stop and the container to be disposed; past it
   * the process gives up waiting.
   */
  readonly marginMs?: number;
  readonly logger: Logger;
}

/**
 * Stops a bot once, within a bounded time, whatever asked for it first (a signal, the end of
 * every transport's input, a failed start). {@link done} resolves with the exit code.
 */
export class GracefulShutdown {
  /** Resolves with the exit code once the bot has stopped (0) or failed to stop in time (1). */
  readonly done: Promise<number>;
  private resolveDone!: (code: number) => void;
  private reason: string | undefined;
  /** Settles when the bot has finished starting, so a stop never races a start. */
  private started: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly bot: Stoppable,
    private readonly options: GracefulShutdownOptions,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Whether a stop was requested. */
  get requested(): boolean {
    return this.reason !== undefined;
  }

  /** Tells the shutdown that the bot is starting; a stop requested meanwhile waits for it. */
  starting(start: Promise<unknown>): void {
    this.started = start.catch(() => undefined);
  }

  /** Requests the stop; later requests are ignored. */
  request(reason: string): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    void this.run(reason);
  }

  private async run(reason: string): Promise<void> {
    const { graceMs, logger } = this.options;
    const limitMs = graceMs + (this.options.marginMs ?? 5_000);
    logger.info({ reason, graceMs }, 'stopping');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limitMs);
    });
    const stopped = this.started
      .then(() => this.bot.stop(graceMs))
      .then(
        () => 'stopped' as const,
        (error: unknown) => {
          logger.error({ err: error }, 'stopping the bot failed');
          return 'failed' as const;
        },
      );
    const outcome = await Promise.race([stopped, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      logger.error({ limitMs }, 'the bot did not stop in time; exiting anyway');
    } else if (outcome === 'stopped') {
      logger.info('stopped');
    }
    this.resolveDone(outcome === 'stopped' ? 0 : 1);
  }
}
