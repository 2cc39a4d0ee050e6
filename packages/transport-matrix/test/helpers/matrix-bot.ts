import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Bot,
  configSchema,
  createLogger,
  type LoadedConfig,
  type Logger,
  MemoryStore,
  type PluginDefinition,
  type PluginInstanceConfig,
  type PluginKind,
  type Store,
} from '@confab/core';
import { type ScriptedBackend, scriptedBackendPlugin } from '@confab/testkit';
import type { MatrixTransport } from '../../src/matrix-transport.js';
import matrixTransportPlugin from '../../src/plugin.js';

function instance(
  kind: PluginKind,
  name: string,
  definition: PluginDefinition,
  section: unknown,
): PluginInstanceConfig {
  return {
    info: { name, kind, specifier: definition.name, configDir: tmpdir() },
    definition,
    config: definition.configSchema.parse(section),
  };
}

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
  const profiles = options.profiles ?? { default: {} };
  const raw = {
    transports: [{ name: 'matrix', plugin: matrixTransportPlugin.name }],
    backends: [{ name: 'scripted', plugin: scriptedBackendPlugin.name, profiles }],
    mates: options.mates,
    store: { path: ':memory:' },
    ...options.config,
  };
  const loaded: LoadedConfig = {
    file: join(tmpdir(), 'confab-matrix-test.yaml'),
    config: configSchema.parse(raw),
    transports: [
      instance('transport', 'matrix', matrixTransportPlugin, {
        syncTimeoutMs: 1000,
        editIntervalMs: 100,
        ...options.transport,
      }),
    ],
    backends: [instance('backend', 'scripted', scriptedBackendPlugin, { profiles })],
    commands: [],
    warnings: [],
  };
  const store = options.store ?? new MemoryStore();
  const logger =
    options.logger ?? (process.env.CONFAB_TEST_LOG ? createLogger({ level: 'debug' }) : undefined);
  const bot = Bot.create(loaded, { store, ...(logger ? { logger } : {}) });
  return {
    bot,
    transport: bot.transports.require('matrix') as unknown as MatrixTransport,
    backend: bot.backends.require('scripted') as ScriptedBackend,
    store,
  };
}
