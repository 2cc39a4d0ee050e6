import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { byPosition, ConfigError, type ConfigIssue } from './config-error.js';
import { secretValues } from './config-secrets.js';
import { ConfigSource } from './config-source.js';
import { checkReferences } from './cross-references.js';
import { loadDotenv } from './dotenv.js';
import type { PluginImporter } from './plugin-import.js';
import { loadInstances, type PluginInstanceConfig, pluginEntries } from './plugin-sections.js';
import { type ConfabConfig, configSchema } from './schema.js';
import { validateSection } from './validate-section.js';

export type { PluginImporter } from './plugin-import.js';
export type { PluginInstanceConfig } from './plugin-sections.js';

/** A config file after validation: core's part, and every plugin instance with its section. */
export interface LoadedConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  /** Core's config, defaults applied. */
  readonly config: ConfabConfig;
  readonly transports: readonly PluginInstanceConfig[];
  readonly backends: readonly PluginInstanceConfig[];
  /** From `commands.plugins[]`. */
  readonly commands: readonly PluginInstanceConfig[];
  /** Only when `scheduler.plugin` is set. */
  readonly scheduler?: PluginInstanceConfig;
  /** When `store.plugin` is set, or else from {@link LoadConfigOptions.defaultStorePlugin}. */
  readonly store?: PluginInstanceConfig;
  /** Warnings from plugins' `check` and from the YAML parser; they do not stop the bot. */
  readonly warnings: readonly ConfigIssue[];
  /**
   * Values never to log or show, whatever key they appear under: every string under a secret key
   * (`token`, `apiKey`, `password`, `secret`, ...), and the value of every referenced environment
   * variable whose name says it is a secret (`${OPENAI_API_KEY}`). Values shorter than 8
   * characters are left out. Pass them to `createLogger`. Absent from a config built by hand.
   */
  readonly secrets?: readonly string[];
}

/** How {@link loadConfig} reads the environment and imports plugins. */
export interface LoadConfigOptions {
  /** Environment for `${VAR}` references; `process.env` by default. Never modified. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Imports plugin packages; the CLI passes one that resolves from the bot's location. */
  readonly importPlugin: PluginImporter;
  /** Whether to read `.env` beside the config file and in `cwd` (default true). */
  readonly dotenv?: boolean;
  /** Directory whose `.env` is also read; `process.cwd()` by default. */
  readonly cwd?: string;
  /**
   * Store plugin for a config whose `store` names none, unless `store.path` is `':memory:'`
   * (core's MemoryStore). Core names no default since it never imports a plugin itself.
   */
  readonly defaultStorePlugin?: string;
}

const READ_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file; create one with "confab init"',
  EISDIR: 'it is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * Reads, expands and validates a config file, and imports and validates its plugins.
 *
 * @param file - the config file; messages name it as given, `LoadedConfig.file` is absolute.
 * @throws {ConfigError} listing every problem found, each with file, line, column and path.
 */
export async function loadConfig(file: string, options: LoadConfigOptions): Promise<LoadedConfig> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const reason = (error.code && READ_FAILURES[error.code]) ?? error.code ?? error.message;
    throw new ConfigError([{ file, path: '', message: `cannot read the config file: ${reason}` }]);
  });
  return parseConfig(text, file, options);
}

/**
 * Validates config text as {@link loadConfig} does.
 *
 * @param file - names the file in messages; its directory is where `.env` is read and what
 *   plugins resolve relative paths against (`PluginInstanceInfo.configDir`).
 * @throws {ConfigError} listing every problem found.
 */
export async function parseConfig(
  text: string,
  file: string,
  options: LoadConfigOptions,
): Promise<LoadedConfig> {
  const absolute = resolve(file);
  const env = options.env ?? process.env;
  const dotenv =
    options.dotenv === false
      ? { env, issues: [] }
      : await loadDotenv(file, resolve(options.cwd ?? process.cwd()), env);
  const source = new ConfigSource(file, text, dotenv.env, dotenv.issues);
  const core = await validateSection(source, configSchema, source.data);
  const entries = pluginEntries(source, options.defaultStorePlugin);
  checkReferences(source, entries);
  const instances = await loadInstances(source, entries, options.importPlugin, dirname(absolute));
  source.throwIfInvalid();

  const of = (kind: string): PluginInstanceConfig[] => instances.filter(({ info }) => info.kind === kind);
  return {
    file: absolute,
    // Core's issues are among the source's, so it is valid here.
    config: core?.data as ConfabConfig,
    transports: of('transport'),
    backends: of('backend'),
    commands: of('command'),
    scheduler: of('scheduler')[0],
    store: of('store')[0],
    warnings: source.warnings.sort(byPosition),
    secrets: [...secretValues(source.data, new Set(source.secretsFromEnvironment))],
  };
}
