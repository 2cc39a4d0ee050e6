import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { PluginInstanceConfig } from '../config/load-config.js';
import { ConfabError, isConfabError } from '../errors/confab-error.js';
import type { Logger } from '../logging/logger.js';
import { Tokens } from '../tokens.js';

/**
 * Makes plugin instances: each plugin registers in its own child container, which holds its
 * config section, its instance info and a logger named after it.
 */
export class PluginInstantiator {
  constructor(
    private readonly parent: DependencyContainer,
    private readonly logger: Logger,
  ) {}

  /** What the plugin registered under `token`. */
  create<T>(instance: PluginInstanceConfig, token: InjectionToken<T>): T {
    const { info, definition, config } = instance;
    const child = this.parent.createChildContainer();
    child.register(Tokens.PluginConfig, { useValue: config });
    child.register(Tokens.PluginInstance, { useValue: info });
    child.register(Tokens.Logger, { useValue: this.logger.child({ plugin: info.name }) });
    const where = describe(instance);
    try {
      definition.register(child, config);
      if (!child.isRegistered(token, false)) {
        const what = String(token).replace(/^Symbol\(confab\.|\)$/g, '');
        throw new ConfabError('plugin.nothing-registered', `${where} registered no ${what}`);
      }
      return child.resolve<T>(token);
    } catch (error) {
      throw wrapStartError(error, where);
    }
  }

  /** A transport or backend instance, checked to have `methods` and its configured name. */
  createNamed<T extends { readonly name: string }>(
    instance: PluginInstanceConfig,
    token: InjectionToken<T>,
    methods: readonly string[],
  ): T {
    const item = this.create(instance, token);
    const where = describe(instance);
    for (const method of methods) {
      if (typeof (item as Record<string, unknown>)[method] !== 'function') {
        throw new ConfabError('plugin.bad-instance', `${where} provided an object without ${method}()`);
      }
    }
    if (item.name !== instance.info.name) {
      throw new ConfabError(
        'plugin.bad-instance',
        `${where} named its instance "${item.name}"; it must use the configured name (inject Tokens.PluginInstance)`,
      );
    }
    return item;
  }
}

function describe({ info }: PluginInstanceConfig): string {
  return `plugin "${info.specifier}" (${info.kind} "${info.name}")`;
}

/** A start failure as a {@link ConfabError} that says where it happened. */
export function wrapStartError(error: unknown, where: string): ConfabError {
  if (isConfabError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConfabError('runtime.start-failed', `${where}: ${message}`, { cause: error });
}
