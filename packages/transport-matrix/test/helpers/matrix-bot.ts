import { type Bot, createLogger, type Logger, type Store } from '@confab/core';
import { createTestBot, type ScriptedBackend } from '@confab/testkit';
import type { MatrixTransport } from '../../src/matrix-transport.js';
import matrixTransportPlugin from '../../src/plugin.js';

/** What {@link createMatrixBot} takes. */
export interface MatrixBotOptions {
  /** The matrix transport's own section (homeserver, accounts or bot, ...). */
  readonly transport: Record<string, unknown>;
  readonly mates: readonly Record<string, unknown>[];
  /** Scripted backend profiles; `default` answers `You said: {text}`. */
  readonly profiles?: Record<string, unknown>;
  /** Other core config sections (engine, commands, ...). */
  readonly config?: Record<string, unknown>;
  /** Same store again to simulate a restart. */
  readonly store?: Store;
  /** Logger of the bot; silent by default (CONFAB_TEST_LOG=1 logs to stderr). */
  readonly logger?: Logger;
}

/** A real confab bot (core engine, scripted backend) on the matrix transport, as the CLI would wire it. */
export function createMatrixBot(options: MatrixBotOptions): {
  bot: Bot;
  transport: MatrixTransport;
  backend: ScriptedBackend;
  store: Store;
} {
  const logger =
    options.logger ?? (process.env.CONFAB_TEST_LOG ? createLogger({ level: 'debug' }) : undefined);
  return createTestBot<MatrixTransport>({
    transportPlugin: matrixTransportPlugin,
    transport: { syncTimeoutMs: 1000, editIntervalMs: 100, ...options.transport },
    profiles: options.profiles ?? { default: {} },
    config: { mates: options.mates, ...options.config },
    ...(options.store ? { store: options.store } : {}),
    ...(logger ? { bot: { logger } } : {}),
  });
}
