import { Bot, createLogger } from '@confab/core';
import { hideInReports } from '../error-report.js';
import { GracefulShutdown } from '../graceful-shutdown.js';
import { loadConfigFile } from '../load-config-file.js';
import type { StopSignals } from '../stop-signals.js';

/** Options of `confab run`. */
export interface RunOptions {
  readonly config: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Time in-flight replies get to finish on SIGINT/SIGTERM, in ms. */
  readonly graceMs: number;
  /** Where requests to stop come from: the process's signals (tests give their own). */
  readonly stopSignals: StopSignals;
}

/** Exit code for a second signal while stopping, as a shell reports an interrupted program. */
const EXIT_INTERRUPTED = 130;

/**
 * `confab run`: loads the config, starts the bot, and resolves with the exit code once it has
 * stopped. It stops on the first SIGINT/SIGTERM (a second one exits at once), or when every
 * transport's intake has ended by itself (the console's stdin closed).
 */
export async function runCommand(options: RunOptions): Promise<number> {
  const loaded = await loadConfigFile(options.config, options.cwd, options.env);
  const secrets = loaded.secrets ?? [];
  hideInReports(secrets);
  const logger = createLogger({ level: loaded.config.log.level, secrets });
  const bot = Bot.create(loaded, { logger });
  const shutdown = new GracefulShutdown(bot, { graceMs: options.graceMs, logger });

  // A transport whose intake ended by itself (stdin closed) reports `transport.stopped` before
  // any stop was asked for; once all have, nobody can talk to the bot any more.
  const ended = new Set<string>();
  bot.events.on('transport.stopped', ({ transport }) => {
    if (shutdown.requested) return;
    ended.add(transport);
    if (ended.size >= loaded.config.transports.length) shutdown.request('input ended');
  });

  const start = bot.start();
  shutdown.starting(start);
  // After `starting`: a request that came while the config was loading stops the bot once it
  // has started.
  const unsubscribe = options.stopSignals.subscribe(({ reason, signal }) => {
    if (shutdown.requested) {
      if (!signal) return;
      logger.warn({ signal: reason }, 'second signal: exiting without waiting');
      process.exit(EXIT_INTERRUPTED);
    }
    shutdown.request(reason);
  });
  try {
    try {
      await start;
    } catch (error) {
      shutdown.request('start failed');
      await shutdown.done;
      throw error;
    }
    return await shutdown.done;
  } finally {
    unsubscribe();
  }
}
