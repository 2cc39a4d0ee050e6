import { isPluginDefinition, type PluginDefinition } from '../plugin/plugin-definition.js';
import { isPathSpecifier, packageNameOf } from './plugin-specifier.js';

/**
 * Imports a plugin module by package specifier. The CLI supplies it so that resolution happens
 * from the bot's location, not from core's.
 */
export type PluginImporter = (specifier: string) => Promise<unknown>;

/**
 * Imports `specifier` and checks that its default export is a plugin definition. Failures are
 * described for a config issue, never thrown: a package that is not installed (resolution failed
 * for the package itself, not for something it imports), a module that throws while loading (its
 * first message line, no stack), or a default export not made with `definePlugin`.
 */
export async function importPluginDefinition(
  specifier: string,
  importPlugin: PluginImporter,
): Promise<
  { definition: PluginDefinition; problem?: undefined } | { definition?: undefined; problem: string }
> {
  let module: unknown;
  try {
    module = await importPlugin(specifier);
  } catch (error) {
    return { problem: describeImportFailure(specifier, error) };
  }
  const definition = (module as { default?: unknown } | null | undefined)?.default;
  if (isPluginDefinition(definition)) return { definition };
  return {
    problem: `"${specifier}" is not a confab plugin: its default export was not made with definePlugin`,
  };
}

function describeImportFailure(specifier: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const name = isPathSpecifier(specifier) ? undefined : packageNameOf(specifier);
  // Each case only when the message names the plugin, not something the plugin imports.
  if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' && name !== undefined && message.includes(name)) {
    const subpath = specifier.slice(name.length) || '.';
    return `package "${name}" is installed but has no plugin at "${subpath}" (it does not export that path); check the plugin name in its README`;
  }
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    if (name !== undefined && message.includes(name)) {
      return `plugin package "${name}" is not installed; install it next to the bot (pnpm add ${name})`;
    }
    const file = specifier.split(/[/\\]/).pop() ?? specifier;
    if (name === undefined && message.includes(file)) return `plugin module "${specifier}" was not found`;
  }
  return `plugin "${specifier}" failed to load: ${firstLine(error)}`;
}

/** The first line of an error's message: enough to act on, without a stack. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0] ?? '';
}
