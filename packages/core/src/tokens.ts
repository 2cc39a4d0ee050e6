/**
 * Dependency-injection tokens. Every injected constructor parameter names one of these with
 * `@inject(...)`, so resolution never depends on emitted decorator metadata.
 */
export const Tokens = {
  /** {@link Logger}: the structured logger, a child per plugin instance. */
  Logger: Symbol.for('confab.Logger'),
  /** {@link EventBus}: the typed event bus of one bot. */
  EventBus: Symbol.for('confab.EventBus'),
  /** {@link ConfabConfig}: the whole validated config. */
  Config: Symbol.for('confab.Config'),
  /** The validated config section of the plugin instance being registered. */
  PluginConfig: Symbol.for('confab.PluginConfig'),
  /** {@link PluginInstanceInfo}: name and kind of the plugin instance being registered. */
  PluginInstance: Symbol.for('confab.PluginInstance'),
  /** {@link Transport}: what a transport plugin registers in its own container. */
  Transport: Symbol.for('confab.Transport'),
  /** {@link Backend}: what a backend plugin registers in its own container. */
  Backend: Symbol.for('confab.Backend'),
  /** {@link CommandPlugin}: what a command plugin registers in its own container. */
  CommandPlugin: Symbol.for('confab.CommandPlugin'),
  /** {@link TransportRegistry}: every started transport of the bot, by name. */
  Transports: Symbol.for('confab.Transports'),
  /** {@link BackendRegistry}: every backend of the bot, by name. */
  Backends: Symbol.for('confab.Backends'),
  /** {@link CommandRegistry}: every command the bot knows. */
  Commands: Symbol.for('confab.Commands'),
  /** {@link Scheduler}: the queue between the engine and the backends. */
  Scheduler: Symbol.for('confab.Scheduler'),
  /** {@link Store}: the bot's own persistent state. */
  Store: Symbol.for('confab.Store'),
  /** The engine that connects transports, commands, the scheduler and backends. */
  Engine: Symbol.for('confab.Engine'),
  /** {@link BotState}: the engine's typed view of the store. */
  BotState: Symbol.for('confab.BotState'),
  /** {@link EventLedger}: the ids of inbound events already handled. */
  EventLedger: Symbol.for('confab.EventLedger'),
  /** {@link StoreConfig}: the `store` section of the config, for store plugins. */
  StoreConfig: Symbol.for('confab.StoreConfig'),
  /** {@link SchedulerConfig}: the `scheduler` section of the config. */
  SchedulerConfig: Symbol.for('confab.SchedulerConfig'),
  /** The config's mates (`MateConfig[]`), for plugins that need to know them. */
  Mates: Symbol.for('confab.Mates'),
  /** Absolute path of the config file, for plugins that resolve paths relative to it. */
  ConfigPath: Symbol.for('confab.ConfigPath'),
} as const;

export type Token = (typeof Tokens)[keyof typeof Tokens];
