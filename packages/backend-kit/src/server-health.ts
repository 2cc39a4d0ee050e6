import type { Logger } from '@confab/core';
import { redactUrl } from '@confab/core';

/** Options of {@link ServerHealth}. */
export interface ServerHealthOptions {
  /** What the server is, for the log: `ollama 'local' at http://127.0.0.1:11434` (a URL's credentials are redacted). */
  readonly describe: string;
  /** Resolves when the server answers; rejects (or throws) while it does not. Cheap, no model load. */
  readonly probe: () => Promise<unknown>;
  readonly logger: Logger;
  /** First pause before probing a server that went away, in ms. */
  readonly initialDelayMs?: number;
  /** Longest pause between two probes, in ms; the pause doubles up to it. */
  readonly maxDelayMs?: number;
}

/**
 * Whether a remote model server is reachable, and the retry loop that notices when it is back.
 *
 * A backend reports a request that could not reach the server with {@link markDown}; from then
 * on {@link available} is false, so new requests fail at once with an `unavailable` part instead
 * of each waiting on a dead socket, and a background probe retries with exponential backoff
 * until the server answers. Nothing here throws or keeps the process alive: the bot keeps
 * running whatever the server does, and recovers by itself.
 */
export class ServerHealth {
  private down = false;
  private delayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly waiters = new Set<() => void>();
  private readonly describe: string;

  constructor(private readonly options: ServerHealthOptions) {
    this.describe = redactUrl(options.describe);
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = Math.max(this.initialDelayMs, options.maxDelayMs ?? 30_000);
    this.delayMs = this.initialDelayMs;
  }

  /** False from a failed request until a probe reaches the server again. */
  get available(): boolean {
    return !this.down;
  }

  /** Records that the server could not be reached and starts the retry loop (once). */
  markDown(error: unknown): void {
    if (this.down || this.stopped) return;
    this.down = true;
    this.delayMs = this.initialDelayMs;
    this.options.logger.warn(
      { err: error, retryInMs: this.delayMs },
      `${this.describe}: model server unavailable; retrying with backoff`,
    );
    this.schedule();
  }

  /** Records a request that reached the server (a probe of our own or a real one). */
  markUp(): void {
    if (!this.down) return;
    this.down = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.options.logger.info(`${this.describe}: model server is back`);
    for (const resolve of this.waiters) resolve();
    this.waiters.clear();
  }

  /** Resolves once the server is available again (at once when it is). For tests and tools. */
  whenAvailable(): Promise<void> {
    if (!this.down) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  /** Ends the retry loop for good (the backend is stopping). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
    this.timer = setTimeout(() => void this.attempt(), delay);
    // A server that stays away must not keep a stopping process alive.
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || !this.down) return;
    try {
      await this.options.probe();
      this.markUp();
    } catch (error) {
      if (this.stopped || !this.down) return;
      this.options.logger.debug(
        { err: error, retryInMs: this.delayMs },
        `${this.describe}: still unavailable`,
      );
      this.schedule();
    }
  }
}
