import type { Logger } from '../logging/logger.js';
import type { PluginDefinition, PluginInstanceInfo, PluginKind } from '../plugin/plugin-definition.js';
import type { ConfigIssue } from './config-error.js';
import { type ConfigPath, formatPath, parsePath } from './config-path.js';
import type { ConfigSource } from './config-source.js';
import {
  firstLine,
  importPluginDefinition,
  type PluginImport,
  type PluginImporter,
} from './plugin-import.js';
import { type SectionResult, validateSection } from './validate-section.js';

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
  /** Instance name: the entry's `name`, or derived from the specifier. */
  readonly name: string;
  /** The entry as written (after `${VAR}` expansion). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Keys that belong to core, not to the plugin's section. */
  readonly coreKeys: readonly string[];
  /** Whether core's own keys of the entry are valid; only then is an instance returned. */
  readonly coreValid: boolean;
}

/** Loads plugin entries: imports each specifier once, checks kinds, validates sections. */
export class PluginSections {
  private readonly imports = new Map<string, Promise<PluginImport>>();

  constructor(
    private readonly source: ConfigSource,
    private readonly importPlugin: PluginImporter,
    private readonly configDir: string,
    private readonly report: (...issues: ConfigIssue[]) => void,
  ) {}

  /**
   * The instance for `entry`, or undefined after reporting why not. The plugin's section is the
   * entry minus core's keys; its issues are located under the entry's path, and unknown keys in
   * it are matched against the plugin's keys and core's.
   */
  async load(entry: PluginSectionEntry): Promise<PluginInstanceConfig | undefined> {
    const { source } = this;
    const pluginPath = [...entry.path, 'plugin'];
    let imported = this.imports.get(entry.specifier);
    if (!imported) {
      imported = importPluginDefinition(entry.specifier, this.importPlugin);
      this.imports.set(entry.specifier, imported);
    }
    const { definition, problem } = await imported;
    if (!definition) {
      this.report(source.issue(pluginPath, problem));
      return undefined;
    }
    if (definition.kind !== entry.kind) {
      this.report(
        source.issue(
          pluginPath,
          `found a ${definition.kind} plugin ("${entry.specifier}"), expected a ${entry.kind} plugin`,
        ),
      );
      return undefined;
    }
    const section = Object.fromEntries(
      Object.entries(entry.raw).filter(([key]) => !entry.coreKeys.includes(key)),
    );
    let parsed: SectionResult<unknown>;
    try {
      parsed = await validateSection(definition.configSchema, section, {
        source,
        prefix: entry.path,
        outerKeys: entry.coreKeys,
      });
    } catch (error) {
      this.report(source.issue(entry.path, `the plugin's config schema failed: ${firstLine(error)}`));
      return undefined;
    }
    if (!parsed.success) {
      this.report(...parsed.issues);
      return undefined;
    }
    if (!entry.coreValid) return undefined;
    const info: PluginInstanceInfo = {
      name: entry.name,
      kind: entry.kind,
      specifier: entry.specifier,
      configDir: this.configDir,
      section: formatPath(entry.path),
    };
    return { info, definition, config: parsed.data };
  }

  /**
   * Runs the plugin's optional `check` and returns its warnings, located under the entry's path.
   * A check that throws is reported as an issue.
   */
  async check(
    entry: PluginSectionEntry,
    instance: PluginInstanceConfig,
    logger: Logger,
  ): Promise<ConfigIssue[]> {
    const check = instance.definition.check;
    if (!check) return [];
    const context = {
      instance: instance.info,
      logger: logger.child({ plugin: instance.info.specifier, instance: instance.info.name }),
    };
    try {
      const warnings = await check.call(instance.definition, instance.config, context);
      return warnings.map((warning) =>
        this.source.issue([...entry.path, ...parsePath(warning.path)], warning.message),
      );
    } catch (error) {
      this.report(this.source.issue(entry.path, `the plugin's check failed: ${firstLine(error)}`));
      return [];
    }
  }
}
