import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  type Backend,
  Bot,
  type BotOptions,
  configSchema,
  type LoadedConfig,
  type PluginDefinition,
  type PluginInstanceConfig,
  type PluginKind,
  type Store,
  MemoryStore,
  type Transport,
} from '@confab/core';
import { MemoryTransport } from './memory-transport/memory-transport.js';
import memoryTransportPlugin from './memory-transport/plugin.js';
import { ScriptedBackend } from './scripted-backend/scripted-backend.js';
import scriptedBackendPlugin from './scripted-backend/plugin.js';

/** What {@link createTestBot} takes: the core config sections, with test-friendly defaults. */
export interface TestBotOptions {
  /** Core config (mates, engine, scheduler, commands, ...). Transports and backends default to one memory transport and one scripted backend. */
  readonly config?: Record<string, unknown>;
  /** The memory transport's own section (or `transportPlugin`'s, when given). */
  readonly transport?: Record<string, unknown>;
  /**
   * A transport plugin to use instead of the memory transport (instance name: `transportName`,
   * else its platform part, e.g. `discord` for `@confab/transport-discord`); give its type as
   * `createTestBot`'s first type argument.
   */
  readonly transportPlugin?: PluginDefinition;
  readonly transportName?: string;
  /** The scripted backend's profiles. */
  readonly profiles?: Record<string, unknown>;
  /** How many recent requests the scripted backend keeps in `calls` (default: all). */
  readonly retainCalls?: number;
  /**
   * A backend plugin to use instead of the scripted backend (instance name: `backendName`, else
   * its package name's last part without `backend-`, e.g. `ollama` for `@confab/backend-ollama`;
   * the default mate uses it); give its type as `createTestBot`'s second type argument.
   */
  readonly backendPlugin?: PluginDefinition;
  readonly backendName?: string;
  /** `backendPlugin`'s own section (with its `profiles`). */
  readonly backend?: Record<string, unknown>;
  /** Store to use; a fresh MemoryStore by default (pass the same one to simulate a restart). */
  readonly store?: Store;
  readonly bot?: Omit<BotOptions, 'store'>;
}

/** A bot wired from the testkit's memory transport and scripted backend (or the plugins given). */
export interface TestBot<T extends Transport = MemoryTransport, B extends Backend = ScriptedBackend> {
  readonly bot: Bot;
  readonly transport: T;
  readonly backend: B;
  readonly store: Store;
}

/** One configured plugin instance as the config loader would produce it, for wiring bots in tests. */
export function pluginInstance(
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

/**
 * Builds a {@link Bot} around a {@link MemoryTransport} named `memory` and a
 * {@link ScriptedBackend} named `scripted`, without a config file. Mates default to one,
 * `ada`, on profile `default`.
 */
export function createTestBot<T extends Transport = MemoryTransport, B extends Backend = ScriptedBackend>(
  options: TestBotOptions = {},
): TestBot<T, B> {
  const transportPlugin = options.transportPlugin ?? memoryTransportPlugin;
  const transportName =
    options.transportName ??
    (options.transportPlugin
      ? (transportPlugin.name.split('/').pop() ?? 'transport').replace(/^transport-/, '')
      : 'memory');
  const backendPlugin = options.backendPlugin ?? scriptedBackendPlugin;
  const backendName =
    options.backendName ??
    (options.backendPlugin
      ? (backendPlugin.name.split('/').pop() ?? 'backend').replace(/^backend-/, '')
      : 'scripted');
  const backendSection = options.backendPlugin
    ? (options.backend ?? {})
    : {
        profiles: options.profiles ?? { default: {} },
        ...(options.retainCalls !== undefined ? { retain: options.retainCalls } : {}),
      };
  const raw = {
    transports: [{ name: transportName, plugin: transportPlugin.name }],
    backends: [{ name: backendName, plugin: backendPlugin.name, ...backendSection }],
    mates: [{ name: 'ada', backend: backendName, profile: 'default', system: 'You are Ada.' }],
    store: { path: ':memory:' },
    ...options.config,
  };
  const config = configSchema.parse(raw);
  const file = join(tmpdir(), 'confab-test.yaml');
  const loaded: LoadedConfig = {
    file,
    config,
    transports: [pluginInstance('transport', transportName, transportPlugin, options.transport ?? {})],
    backends: [pluginInstance('backend', backendName, backendPlugin, backendSection)],
    commands: [],
    warnings: [],
  };
  const store = options.store ?? new MemoryStore();
  const bot = Bot.create(loaded, { ...options.bot, store });
  return {
    bot,
    transport: bot.transports.require(transportName) as T,
    backend: bot.backends.require(backendName) as B,
    store,
  };
}
