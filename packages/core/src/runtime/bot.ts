import { setTimeout as sleep } from 'node:timers/promises';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { Backend } from '../backend/backend.js';
import { builtinCommands } from '../commands/builtin-commands.js';
import type { CommandPlugin } from '../commands/command-plugin.js';
import { CommandRegistry } from '../commands/command-registry.js';
import type { EngineServices } from '../commands/engine-services.js';
import type { LoadedConfig } from '../config/load-config.js';
import { BotState } from '../engine/bot-state.js';
import { Engine } from '../engine/engine.js';
import { historyReadDepth } from '../engine/history-reader.js';
import { ConfabError } from '../errors/confab-error.js';
import { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import { createSilentLogger } from '../logging/pino-logger.js';
import { LocalScheduler } from '../scheduler/local-scheduler.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { createBuiltinStore } from '../store/builtin-store.js';
import { EventLedger } from '../store/event-ledger.js';
import type { Store } from '../store/store.js';
import { Tokens } from '../tokens.js';
import type { Transport } from '../transport/transport.js';
import { PluginInstantiator, wrapStartError } from './plugin-instantiator.js';
import { BackendRegistry, TransportRegistry } from './registries.js';

/** Options of {@link Bot.create}. */
export interface BotOptions {
  readonly logger?: Logger;
  /** Container to make the bot's child container from; the global one by default. */
  readonly parent?: DependencyContainer;
  /** Use this store instead of the configured one (tests). */
  readonly store?: Store;
}

const HOUR_MS = 3_600_000;

/**
 * One running bot: a child container holding the config's plugins, the store, the scheduler and
 * the engine. `create` registers and resolves everything without I/O; `start` connects.
 */
export class Bot {
  readonly events: EventBus;
  readonly transports: TransportRegistry;
  readonly backends: BackendRegistry;
  readonly scheduler: Scheduler;
  readonly store: Store;
  readonly engine: Engine;
  private state: 'created' | 'starting' | 'running' | 'stopping' | 'stopped' = 'created';
  private pruneTimer: NodeJS.Timeout | undefined;
  private stopped: Promise<void> | undefined;

  private constructor(
    readonly container: DependencyContainer,
    readonly loaded: LoadedConfig,
    private readonly logger: Logger,
  ) {
    this.events = container.resolve<EventBus>(Tokens.EventBus);
    this.transports = container.resolve<TransportRegistry>(Tokens.Transports);
    this.backends = container.resolve<BackendRegistry>(Tokens.Backends);
    this.scheduler = container.resolve<Scheduler>(Tokens.Scheduler);
    this.store = container.resolve<Store>(Tokens.Store);
    this.engine = container.resolve<Engine>(Tokens.Engine);
  }

  /** Registers every configured plugin in a new child container and resolves the bot. */
  static create(loaded: LoadedConfig, options: BotOptions = {}): Bot {
    const logger = options.logger ?? createSilentLogger();
    const c = (options.parent ?? rootContainer).createChildContainer();
    const { config } = loaded;
    const events = new EventBus((error, type) =>
      logger.error({ err: error, event: type }, 'event subscriber failed'),
    );
    // What every plugin may inject is registered before any plugin: config, logger, events, store.
    c.register(Tokens.Config, { useValue: config });
    c.register(Tokens.Mates, { useValue: config.mates });
    c.register(Tokens.ConfigPath, { useValue: loaded.file });
    c.register(Tokens.Logger, { useValue: logger });
    c.register(Tokens.EventBus, { useValue: events });
    c.register(Tokens.SchedulerConfig, { useValue: config.scheduler });
    c.register(Tokens.StoreConfig, { useValue: config.store });
    const plugins = new PluginInstantiator(c, logger);
    const store =
      options.store ??
      (loaded.store ? plugins.create<Store>(loaded.store, Tokens.Store) : createBuiltinStore(config.store));
    c.register(Tokens.Store, { useValue: store });
    const historyDepth = config.mates.map((mate) => historyReadDepth(mate.history.maxMessages));
    const state = new BotState(store, Math.max(0, ...historyDepth));
    const ledger = new EventLedger(store);
    c.register(Tokens.BotState, { useValue: state });
    c.register(Tokens.EventLedger, { useValue: ledger });

    const transports = new TransportRegistry();
    for (const instance of loaded.transports) {
      transports.add(plugins.createNamed<Transport>(instance, Tokens.Transport, ['start', 'stop', 'send']));
    }
    const backends = new BackendRegistry();
    for (const instance of loaded.backends) {
      backends.add(
        plugins.createNamed<Backend>(instance, Tokens.Backend, ['generate', 'profiles', 'capacity']),
      );
    }
    for (const mate of config.mates) {
      const backend = backends.require(mate.backend);
      const missing = [mate.profile, ...mate.profiles].find(
        (profile) => !backend.profiles().includes(profile),
      );
      if (missing === undefined) continue;
      const message = `mate "${mate.name}": backend "${backend.name}" has no profile "${missing}"`;
      throw new ConfabError('runtime.unknown-profile', message);
    }
    c.register(Tokens.Transports, { useValue: transports });
    c.register(Tokens.Backends, { useValue: backends });

    const commands = new CommandRegistry();
    commands.add(builtinCommands);
    for (const instance of loaded.commands) {
      commands.add(plugins.create<CommandPlugin<EngineServices>>(instance, Tokens.CommandPlugin));
    }
    c.register(Tokens.Commands, { useValue: commands });

    const scheduler = loaded.scheduler
      ? plugins.create<Scheduler>(loaded.scheduler, Tokens.Scheduler)
      : new LocalScheduler(backends, config.scheduler, events, logger);
    c.register(Tokens.Scheduler, { useValue: scheduler });
    const engine = new Engine({
      config,
      transports,
      backends,
      scheduler,
      commands,
      state,
      ledger,
      events,
      logger,
    });
    c.register(Tokens.Engine, { useValue: engine });
    return new Bot(c, loaded, logger);
  }

  /** Opens the store, starts backends, the scheduler and the transports. */
  async start(): Promise<void> {
    if (this.state !== 'created')
      throw new ConfabError('runtime.state', `bot cannot start: it is ${this.state}`);
    this.state = 'starting';
    try {
      await this.store.open();
      const ledger = this.container.resolve<EventLedger>(Tokens.EventLedger);
      const retention = this.loaded.config.engine.dedupeHours * HOUR_MS;
      await ledger.prune(retention);
      // Keep the processed-event ledger bounded on long runs too.
      this.pruneTimer = setInterval(
        () => void this.warnOnFailure(ledger.prune(retention), {}, 'pruning processed events failed'),
        HOUR_MS,
      );
      this.pruneTimer.unref();
      for (const backend of this.backends.all()) {
        await backend.start().catch((error: unknown) => {
          throw wrapStartError(error, `backend "${backend.name}"`);
        });
      }
      await this.scheduler.start();
      await this.engine.start().catch((error: unknown) => {
        throw wrapStartError(error, 'transport');
      });
    } catch (error) {
      await this.stop(0).catch(() => {});
      throw error;
    }
    this.state = 'running';
    this.events.emit('bot.started', {
      transports: this.transports.all().map((t) => t.name),
      backends: this.backends.all().map((b) => b.name),
      mates: this.loaded.config.mates.map((m) => m.name),
    });
    this.logger.info({ mates: this.loaded.config.mates.map((m) => m.name) }, 'confab is running');
  }

  /**
   * Stops intake, lets replies in progress finish for up to `graceMs` then cancels them, stops
   * the plugins and closes the store. Safe to call more than once.
   */
  stop(graceMs = 10_000): Promise<void> {
    this.stopped ??= this.shutdown(graceMs);
    return this.stopped;
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.state = 'stopping';
    clearInterval(this.pruneTimer);
    this.events.emit('bot.stopping', { reason: 'stop requested' });
    await this.engine.stopIntake();
    await this.scheduler.stop(graceMs);
    // Replies whose jobs ended still write their last edit; bound that too, and clear the bound
    // after, or it would keep a program that only stopped its bot alive for graceMs more.
    const bound = new AbortController();
    const timeout = sleep(Math.max(graceMs, 1000), undefined, { signal: bound.signal }).catch(() => {});
    await Promise.race([this.engine.drain(), timeout]);
    bound.abort();
    for (const transport of this.transports.all()) {
      try {
        await transport.stop();
        this.events.emit('transport.stopped', { transport: transport.name });
      } catch (error) {
        this.logger.warn({ err: error, transport: transport.name }, 'transport did not stop cleanly');
      }
    }
    for (const backend of this.backends.all()) {
      await this.warnOnFailure(backend.stop(), { backend: backend.name }, 'backend did not stop cleanly');
    }
    await this.warnOnFailure(this.store.close(), {}, 'store did not close cleanly');
    this.state = 'stopped';
    this.events.emit('bot.stopped', {});
  }

  /** Waits for `work` and logs its failure as a warning: one part failing must not stop the rest. */
  private async warnOnFailure(work: Promise<unknown>, fields: object, message: string): Promise<void> {
    await work.catch((error: unknown) => this.logger.warn({ err: error, ...fields }, message));
  }
}
