import { createSilentLogger } from '../logging/pino-logger.js';
import type { PluginDefinition, PluginInstanceInfo, PluginKind } from '../plugin/plugin-definition.js';
import { MEMORY_STORE_PATH } from '../store/memory-store.js';
import { type ConfigPath, formatPath, parsePath } from './config-path.js';
import type { ConfigSource } from './config-source.js';
import { isMapping } from './describe-value.js';
import { firstLine, importPluginDefinition, type PluginImporter } from './plugin-import.js';
import { defaultInstanceName } from './plugin-specifier.js';
import { backendEntrySchema, pluginEntrySchema, schedulerSchema, storeSchema } from './schema.js';
import { validateSection } from './validate-section.js';

type Mapping = Readonly<Record<string, unknown>>;
const LIST_KEYS = ['name', 'plugin'];

/** A configured plugin instance: who it is, its definition, and its validated config section. */
export interface PluginInstanceConfig {
  readonly info: PluginInstanceInfo;
  readonly definition: PluginDefinition;
  /** The plugin's section after its `configSchema` (defaults applied). */
  readonly config: unknown;
}

/** One config entry that names a plugin (`transports[0]`, `scheduler`, ...). */
export interface PluginSectionEntry {
  readonly path: ConfigPath;
  readonly kind: PluginKind;
  readonly specifier: string;
  /** The entry's `name`, or one derived from the specifier. */
  readonly name: string;
  /** The entry without the keys core owns (`coreKeys`): what the plugin's schema validates. */
  readonly section: Mapping;
  readonly coreKeys: readonly string[];
  /** Whether core accepts its own keys of the entry; only then is there an instance. */
  readonly coreValid: boolean;
}

/**
 * Every entry that names a plugin, in file order. `scheduler` and `store` without `plugin` are
 * core's built-ins, so keys core does not know are reported here (their schemas pass unknown keys
 * through for a plugin); such a `store` gets `defaultStorePlugin` unless its path is `':memory:'`,
 * with an empty section since every key under it is core's.
 */
export function pluginEntries(source: ConfigSource, defaultStorePlugin?: string): PluginSectionEntry[] {
  const { data } = source;
  const entries: PluginSectionEntry[] = [];
  const add = (entry: Omit<PluginSectionEntry, 'name' | 'section'>, raw: Mapping): void => {
    const { coreKeys } = entry;
    // Only list entries have a `name` of core's; under `scheduler` or `store` it is the plugin's.
    const written = coreKeys.includes('name') && typeof raw.name === 'string' ? raw.name : undefined;
    const section = Object.fromEntries(Object.entries(raw).filter(([key]) => !coreKeys.includes(key)));
    entries.push({ ...entry, name: written ?? defaultInstanceName(entry.specifier), section });
  };
  const commands = isMapping(data.commands) ? data.commands.plugins : undefined;
  const lists = [
    [['transports'], data.transports, 'transport', pluginEntrySchema],
    [['backends'], data.backends, 'backend', backendEntrySchema],
    [['commands', 'plugins'], commands, 'command', pluginEntrySchema],
  ] as const;
  for (const [list, value, kind, schema] of lists) {
    for (const [index, raw] of (Array.isArray(value) ? value : []).entries()) {
      if (!isMapping(raw) || typeof raw.plugin !== 'string' || raw.plugin === '') continue;
      const coreValid = schema.safeParse(raw).success;
      add({ path: [...list, index], kind, specifier: raw.plugin, coreKeys: LIST_KEYS, coreValid }, raw);
    }
  }
  for (const [kind, schema] of [
    ['scheduler', schedulerSchema],
    ['store', storeSchema],
  ] as const) {
    const raw = data[kind] ?? {};
    if (!isMapping(raw)) continue;
    const coreKeys = Object.keys(schema.shape);
    const entry = { path: [kind], kind, coreKeys, coreValid: schema.safeParse(raw).success };
    if (typeof raw.plugin === 'string' && raw.plugin !== '') add({ ...entry, specifier: raw.plugin }, raw);
    if (raw.plugin !== undefined) continue;
    for (const key of Object.keys(raw)) {
      if (!coreKeys.includes(key)) source.reportUnknownKey([kind, key], coreKeys);
    }
    if (kind === 'store' && defaultStorePlugin && raw.path !== MEMORY_STORE_PATH) {
      add({ ...entry, specifier: defaultStorePlugin }, {});
    }
  }
  return entries;
}

/**
 * The instances of `entries`, in their order: each plugin imported once, of the entry's kind, its
 * section valid (issues located under the entry, an unknown key matched against the plugin's keys
 * and core's), and its optional `check` run for warnings and problems. What fails is reported to
 * `source`.
 */
export async function loadInstances(
  source: ConfigSource,
  entries: readonly PluginSectionEntry[],
  importPlugin: PluginImporter,
  configDir: string,
): Promise<PluginInstanceConfig[]> {
  const imports = new Map<string, ReturnType<typeof importPluginDefinition>>();
  const logger = createSilentLogger();
  const mateList = source.data.mates;
  const mates = (Array.isArray(mateList) ? mateList : []).flatMap((mate: unknown) =>
    isMapping(mate) && typeof mate.name === 'string' ? [mate.name] : [],
  );
  const load = async (entry: PluginSectionEntry): Promise<PluginInstanceConfig | undefined> => {
    const { path, kind, specifier, name, section, coreKeys } = entry;
    const imported = imports.get(specifier) ?? importPluginDefinition(specifier, importPlugin);
    imports.set(specifier, imported);
    const { definition, problem } = await imported;
    if (definition?.kind !== kind) {
      const found = `found a ${definition?.kind} plugin ("${specifier}"), expected a ${kind} plugin`;
      source.report([...path, 'plugin'], problem ?? found);
      return undefined;
    }
    const parsed = await validateSection(source, definition.configSchema, section, path, coreKeys).catch(
      (error: unknown) => void source.report(path, `the plugin's config schema failed: ${firstLine(error)}`),
    );
    if (!parsed || !entry.coreValid) return undefined;
    const config = parsed.data;
    const info: PluginInstanceInfo = { name, kind, specifier, configDir, section: formatPath(path) };
    try {
      const context = { instance: info, logger: logger.child({ plugin: specifier, instance: name }), mates };
      for (const { path: at, message, severity } of (await definition.check?.(config, context)) ?? []) {
        const where = [...path, ...parsePath(at)];
        if (severity === 'error') source.report(where, message);
        else source.warn(where, message);
      }
    } catch (error) {
      source.report(path, `the plugin's check failed: ${firstLine(error)}`);
    }
    return { info, definition, config };
  };
  const instances = await Promise.all(entries.map(load));
  return instances.filter((instance) => instance !== undefined);
}
