import { isPluginDefinition, type PluginDefinition } from '../plugin/plugin-definition.js';
import { isPathSpecifier, packageNameOf } from './plugin-specifier.js';

/**
 * Imports a plugin module by package specifier. The CLI supplies it so that resolution happens
 * from the bot's location, not from core's.
 */
export type PluginImporter = (specifier: string) => Promise<unknown>;

/** A plugin definition, or why there is none, in words for the config issue. */
export type PluginImport =
  | { readonly definition: PluginDefinition; readonly problem?: undefined }
  | { readonly definition?: undefined; readonly problem: string };

const NOT_FOUND_CODES = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/**
 * Imports `specifier` and checks that its default export is a plugin definition. Failures are
 * described, never thrown: a package that is not installed (resolution failed for the package
 * itself, not for something it imports), a module that throws while loading (its first message
 * line, no stack), or a default export not made with `definePlugin`.
 */
export async function importPluginDefinition(
  specifier: string,
  importPlugin: PluginImporter,
): Promise<PluginImport> {
  let module: unknown;
  try {
    module = await importPlugin(specifier);
  } catch (error) {
    return { problem: describeImportFailure(specifier, error) };
  }
  const definition =
    module !== null && typeof module === 'object' ? (module as { default?: unknown }).default : undefined;
  if (!isPluginDefinition(definition)) {
    return {
      problem: `"${specifier}" is not a confab plugin: its default export was not made with definePlugin`,
    };
  }
  return { definition };
}

function describeImportFailure(specifier: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' && !isPathSpecifier(specifier)) {
    const name = packageNameOf(specifier);
    const subpath = specifier.slice(name.length) || '.';
    if (message.includes(name)) {
      return `package "${name}" is installed but has no plugin at "${subpath}" (it does not export that path); check the plugin name in its README`;
    }
  }
  if (typeof code === 'string' && NOT_FOUND_CODES.has(code)) {
    if (isPathSpecifier(specifier)) {
      const file = specifier.split(/[/\\]/).pop() ?? specifier;
      if (message.includes(file)) return `plugin module "${specifier}" was not found`;
    } else {
      const name = packageNameOf(specifier);
      if (message.includes(name)) {
        return `plugin package "${name}" is not installed; install it next to the bot (pnpm add ${name})`;
      }
    }
  }
  return `plugin "${specifier}" failed to load: ${firstLine(error)}`;
}

/** The first line of an error's message: enough to act on, without a stack. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? '';
}
