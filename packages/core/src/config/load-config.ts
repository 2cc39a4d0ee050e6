import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Logger } from '../logging/logger.js';
import { createSilentLogger } from '../logging/pino-logger.js';
import type { PluginKind } from '../plugin/plugin-definition.js';
import { MEMORY_STORE_PATH } from '../store/memory-store.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { ConfigSource } from './config-source.js';
import { accountReferences, duplicateNames, mateReferences, type ValidMate } from './cross-references.js';
import { dotenvFilesFor, loadDotenvFiles } from './dotenv.js';
import type { Env } from './env-expand.js';
import { byPosition, IssueList } from './issue-list.js';
import type { PluginImporter } from './plugin-import.js';
import { type PluginSectionEntry, type PluginInstanceConfig, PluginSections } from './plugin-sections.js';
import { defaultInstanceName } from './plugin-specifier.js';
import {
  backendEntrySchema,
  type ConfabConfig,
  configSchema,
  mateSchema,
  pluginEntrySchema,
  schedulerSchema,
  storeSchema,
} from './schema.js';
import { unknownKeyMessage } from './suggest.js';
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
  /** Only when `store.plugin` is set. */
  readonly store?: PluginInstanceConfig;
  /** Warnings from plugins' `check` and from the YAML parser; they do not stop the bot. */
  readonly warnings: readonly ConfigIssue[];
}

/** How {@link loadConfig} reads the environment and imports plugins. */
export interface LoadConfigOptions {
  /** Environment for `${VAR}` references; `process.env` by default. Never modified. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Imports plugin packages; the CLI passes one that resolves from the bot's location. */
  readonly importPlugin: PluginImporter;
  /** Whether to read `.env` beside the config file and in `cwd` (default true). */
  readonly dotenv?: boolean;
  /** Passed to plugins' `check`; silent by default. */
  readonly logger?: Logger;
  /** Directory whose `.env` is also read; `process.cwd()` by default. */
  readonly cwd?: string;
  /**
   * Store plugin for a config whose `store` names none, unless `store.path` is `':memory:'`
   * (core's MemoryStore). The confab CLI passes `@confab/store-lmdb`; core names no default,
   * since it never imports a plugin.
   */
  readonly defaultStorePlugin?: string;
}

type Sections = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Sections {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describeReadFailure(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file; create one with "confab init"';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return (
        (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))
      );
  }
}

/**
 * Reads, expands and validates a config file, and imports and validates its plugins.
 *
 * @param file - the config file; messages name it as given, `LoadedConfig.file` is absolute.
 * @throws {ConfigError} listing every problem found, each with file, line, column and path.
 */
export async function loadConfig(file: string, options: LoadConfigOptions): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError([
      { file, path: '', message: `cannot read the config file: ${describeReadFailure(error)}` },
    ]);
  }
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
  const configDir = dirname(absolute);
  const baseEnv: Env = options.env ?? process.env;
  const early: ConfigIssue[] = [];
  let env: Env = { ...baseEnv };
  if (options.dotenv !== false) {
    const files = dotenvFilesFor(configDir, dirname(file), resolve(options.cwd ?? process.cwd()));
    const dotenv = await loadDotenvFiles(files, baseEnv);
    env = dotenv.env;
    early.push(...dotenv.issues);
  }

  const parsed = ConfigSource.parse(text, file, env);
  const { source } = parsed;
  if (!source) throw new ConfigError([...early, ...parsed.issues]);
  const issues = new IssueList(source.reported, [...early, ...parsed.issues]);
  const warnings: ConfigIssue[] = [...parsed.warnings];
  const data = source.data;

  const core = await validateSection(configSchema, data, { source, prefix: [] });
  if (!core.success) issues.add(...core.issues);

  const entries = pluginEntries(source, issues);
  const defaultStore = defaultStoreEntry(data, options.defaultStorePlugin);
  if (defaultStore) entries.push(defaultStore);
  checkNames(source, entries, issues);

  const sections = new PluginSections(source, options.importPlugin, configDir, (...found) =>
    issues.add(...found),
  );
  const loaded = await Promise.all(entries.map((entry) => sections.load(entry)));

  const logger = options.logger ?? createSilentLogger();
  const instances = entries.flatMap((entry, i) => {
    const instance = loaded[i];
    return instance ? [{ entry, instance }] : [];
  });
  for (const found of await Promise.all(
    instances.map(({ entry, instance }) => sections.check(entry, instance, logger)),
  )) {
    warnings.push(...found);
  }

  if (issues.length > 0 || !core.success) throw new ConfigError(issues.sorted());

  const of = (kind: PluginKind): PluginInstanceConfig[] =>
    instances.filter(({ entry }) => entry.kind === kind).map(({ instance }) => instance);
  return {
    file: absolute,
    config: core.data,
    transports: of('transport'),
    backends: of('backend'),
    commands: of('command'),
    scheduler: of('scheduler')[0],
    store: of('store')[0],
    warnings: warnings.sort(byPosition),
  };
}

/**
 * Every entry that names a plugin, in file order, with what core thinks of its own keys. For
 * `scheduler` and `store` without `plugin`, core's built-in is used, so any key core does not
 * know is reported here (their schemas pass unknown keys through for a plugin to validate).
 */
function pluginEntries(source: ConfigSource, issues: IssueList): PluginSectionEntry[] {
  const { data } = source;
  const entries: PluginSectionEntry[] = [];
  const list = (
    path: readonly string[],
    value: unknown,
    kind: PluginKind,
    schema: typeof pluginEntrySchema | typeof backendEntrySchema,
  ): void => {
    if (!Array.isArray(value)) return;
    value.forEach((raw: unknown, index) => {
      if (!isRecord(raw) || typeof raw.plugin !== 'string' || raw.plugin === '') return;
      const named = typeof raw.name === 'string';
      entries.push({
        path: [...path, index],
        kind,
        specifier: raw.plugin,
        name: named ? (raw.name as string) : defaultInstanceName(raw.plugin),
        raw,
        coreKeys: ['name', 'plugin'],
        coreValid: schema.safeParse(raw).success,
      });
    });
  };
  list(['transports'], data.transports, 'transport', pluginEntrySchema);
  list(['backends'], data.backends, 'backend', backendEntrySchema);
  if (isRecord(data.commands))
    list(['commands', 'plugins'], data.commands.plugins, 'command', pluginEntrySchema);

  for (const [section, schema] of [
    ['scheduler', schedulerSchema],
    ['store', storeSchema],
  ] as const) {
    const raw = data[section];
    if (!isRecord(raw)) continue;
    const coreKeys = Object.keys(schema.shape);
    if (typeof raw.plugin === 'string' && raw.plugin !== '') {
      entries.push({
        path: [section],
        kind: section,
        specifier: raw.plugin,
        name: defaultInstanceName(raw.plugin),
        raw,
        coreKeys,
        coreValid: schema.safeParse(raw).success,
      });
    } else if (raw.plugin === undefined) {
      for (const key of Object.keys(raw)) {
        if (!coreKeys.includes(key))
          issues.add(source.issue([section, key], unknownKeyMessage(key, coreKeys), 'key'));
      }
    }
  }
  return entries;
}

/**
 * The entry of {@link LoadConfigOptions.defaultStorePlugin} for a `store` that names no plugin.
 * Its section is empty: every key written under `store` is then core's (checked above).
 */
function defaultStoreEntry(data: Sections, specifier: string | undefined): PluginSectionEntry | undefined {
  const raw = data.store ?? {};
  if (!specifier || !isRecord(raw) || raw.plugin !== undefined || raw.path === MEMORY_STORE_PATH) return;
  return {
    path: ['store'],
    kind: 'store',
    specifier,
    name: defaultInstanceName(specifier),
    raw: {},
    coreKeys: Object.keys(storeSchema.shape),
    coreValid: storeSchema.safeParse(raw).success,
  };
}

/** Unique names within each list, then references between mates, backends and transports. */
function checkNames(source: ConfigSource, entries: readonly PluginSectionEntry[], issues: IssueList): void {
  const { data } = source;
  for (const [kind, section] of [
    ['transport', 'transports'],
    ['command', 'commands.plugins'],
  ] as const) {
    const named = entries
      .filter((entry) => entry.kind === kind)
      .map((entry) => ({ path: entry.path, name: entry.name, derived: typeof entry.raw.name !== 'string' }));
    issues.add(...duplicateNames(source, section, named));
  }

  const backends = new Map<string, readonly string[] | undefined>();
  const backendList = Array.isArray(data.backends) ? data.backends : [];
  const namedBackends = backendList.flatMap((raw: unknown, index) => {
    if (!isRecord(raw) || typeof raw.name !== 'string') return [];
    if (!backends.has(raw.name))
      backends.set(raw.name, isRecord(raw.profiles) ? Object.keys(raw.profiles) : undefined);
    return [{ path: ['backends', index], name: raw.name }];
  });
  issues.add(...duplicateNames(source, 'backends', namedBackends));

  const mateList = Array.isArray(data.mates) ? data.mates : [];
  const namedMates = mateList.flatMap((raw: unknown, index) =>
    isRecord(raw) && typeof raw.name === 'string' ? [{ path: ['mates', index], name: raw.name }] : [],
  );
  issues.add(...duplicateNames(source, 'mates', namedMates));

  const validMates = mateList.flatMap((raw: unknown, index): ValidMate[] => {
    const mate = mateSchema.safeParse(raw);
    return mate.success ? [{ index, mate: mate.data }] : [];
  });
  issues.add(...mateReferences(source, validMates, backends));

  const mateNames = [...new Set(namedMates.map((mate) => mate.name))];
  for (const entry of entries) {
    if (entry.kind === 'transport' && entry.coreValid) {
      issues.add(...accountReferences(source, entry.path, entry.raw, mateNames));
    }
  }
}
