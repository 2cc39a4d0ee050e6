import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  Bot,
  type BotOptions,
  configSchema,
  type LoadedConfig,
  type PluginDefinition,
  type PluginInstanceConfig,
  type PluginKind,
  type Store,
  MemoryStore,
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
   * A transport plugin to use instead of the memory transport (instance name: its platform part,
   * e.g. `discord` for `@confab/transport-discord`); `TestBot.transport` is then that plugin's
   * transport, typed as the memory transport: cast it.
   */
  readonly transportPlugin?: PluginDefinition;
  /** The scripted backend's profiles. */
  readonly profiles?: Record<string, unknown>;
  /**
   * A backend plugin to use instead of the scripted backend (instance name: its package name's
   * last part without `backend-`, e.g. `ollama` for `@confab/backend-ollama`; the default mate
   * uses it); `TestBot.backend` is then that plugin's backend, typed as the scripted one: cast it.
   */
  readonly backendPlugin?: PluginDefinition;
  /** `backendPlugin`'s own section (with its `profiles`). */
  readonly backend?: Record<string, unknown>;
  /** Store to use; a fresh MemoryStore by default (pass the same one to simulate a restart). */
  readonly store?: Store;
  readonly bot?: Omit<BotOptions, 'store'>;
}

/** A bot wired from the testkit's memory transport and scripted backend. */
export interface TestBot {
  readonly bot: Bot;
  readonly transport: MemoryTransport;
  readonly backend: ScriptedBackend;
  readonly store: Store;
}

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

/**
 * Builds a {@link Bot} around a {@link MemoryTransport} named `memory` and a
 * {@link ScriptedBackend} named `scripted`, without a config file. Mates default to one,
 * `ada`, on profile `default`.
 */
export function createTestBot(options: TestBotOptions = {}): TestBot {
  const transportPlugin = options.transportPlugin ?? memoryTransportPlugin;
  const transportName = options.transportPlugin
    ? (transportPlugin.name.split('/').pop() ?? 'transport').replace(/^transport-/, '')
    : 'memory';
  const backendPlugin = options.backendPlugin ?? scriptedBackendPlugin;
  const backendName = options.backendPlugin
    ? (backendPlugin.name.split('/').pop() ?? 'backend').replace(/^backend-/, '')
    : 'scripted';
  const backendSection = options.backendPlugin
    ? (options.backend ?? {})
    : { profiles: options.profiles ?? { default: {} } };
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
    transports: [instance('transport', transportName, transportPlugin, options.transport ?? {})],
    backends: [instance('backend', backendName, backendPlugin, backendSection)],
    commands: [],
    warnings: [],
  };
  const store = options.store ?? new MemoryStore();
  const bot = Bot.create(loaded, { ...options.bot, store });
  return {
    bot,
    transport: bot.transports.require(transportName) as MemoryTransport,
    backend: bot.backends.require(backendName) as ScriptedBackend,
    store,
  };
}
