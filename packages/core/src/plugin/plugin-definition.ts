import type { DependencyContainer } from 'tsyringe';
import type { z } from 'zod';
import type { Logger } from '../logging/logger.js';

/** What a plugin provides. */
export type PluginKind = 'transport' | 'backend' | 'command' | 'scheduler' | 'store';

/** Name and kind of one configured plugin instance, injectable as `Tokens.PluginInstance`. */
export interface PluginInstanceInfo {
  /** Instance name from the config (`transports[].name`, `backends[].name`, ...). */
  readonly name: string;
  readonly kind: PluginKind;
  /** Package specifier the plugin was imported from. */
  readonly specifier: string;
  /** Directory of the config file, for resolving relative paths in the plugin's section. */
  readonly configDir: string;
  /**
   * Where the plugin's section is in the config (`backends[0]`), for errors that tell a person
   * what to change; absent for instances not made from a config file.
   */
  readonly section?: string;
}

/**
 * What a plugin's `check` says about its config: a warning (an option it cannot honour), or with
 * `severity: 'error'` a problem that makes the config unusable (a key naming a mate that is not
 * configured). Core reports it at `path` with the file, line and column, as its own.
 */
export interface PluginWarning {
  /** Path inside the plugin's own section, e.g. `profiles.small.minP`. */
  readonly path: string;
  readonly message: string;
  /** `'error'` rejects the config; a warning (the default) does not stop the bot. */
  readonly severity?: 'warning' | 'error';
}

/** Context a plugin's optional `check` gets. */
export interface PluginCheckContext {
  readonly instance: PluginInstanceInfo;
  readonly logger: Logger;
  /** Names of the configured mates, for keys of the section that name one. */
  readonly mates: readonly string[];
}

/**
 * A plugin module's default export. `register` runs in a child container made for this plugin
 * instance, where `Tokens.PluginConfig` holds the validated section and `Tokens.PluginInstance`
 * its name; it registers the one thing its kind provides (`Tokens.Transport`, `Tokens.Backend`,
 * `Tokens.CommandPlugin`, `Tokens.Scheduler` or `Tokens.Store`), without I/O: connecting and
 * loading happen in the provided object's `start()`.
 */
export interface PluginDefinition<TSchema extends z.ZodTypeAny = z.ZodTypeAny> {
  /** Package name, e.g. `@confab/transport-console`. */
  readonly name: string;
  readonly kind: PluginKind;
  /** Schema of the plugin's own config section (every key of the entry except `name` and `plugin`). Use strict objects so unknown keys are reported. */
  readonly configSchema: TSchema;
  register(container: DependencyContainer, config: z.output<TSchema>): void;
  /**
   * Extra validation at `confab check` / start, without connecting anywhere: warnings, and
   * problems that reject the config.
   */
  check?(config: z.output<TSchema>, context: PluginCheckContext): PluginWarning[] | Promise<PluginWarning[]>;
}

const PLUGIN_BRAND = Symbol.for('confab.PluginDefinition');
const KINDS: readonly PluginKind[] = ['transport', 'backend', 'command', 'scheduler', 'store'];

/** Declares a plugin; returns it unchanged but checked and recognisable by the loader. */
export function definePlugin<TSchema extends z.ZodTypeAny>(
  definition: PluginDefinition<TSchema>,
): PluginDefinition<TSchema> {
  if (!definition.name) throw new TypeError('definePlugin: name is required');
  const invalid = (problem: string) => new TypeError(`definePlugin(${definition.name}): ${problem}`);
  if (!KINDS.includes(definition.kind)) throw invalid(`kind must be one of ${KINDS.join(', ')}`);
  if (typeof definition.configSchema?.safeParse !== 'function')
    throw invalid('configSchema must be a zod schema');
  if (typeof definition.register !== 'function') throw invalid('register must be a function');
  return Object.freeze({ ...definition, [PLUGIN_BRAND]: true });
}

/** Whether a module export is a plugin made with {@link definePlugin} (by any copy of core). */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true
  );
}
