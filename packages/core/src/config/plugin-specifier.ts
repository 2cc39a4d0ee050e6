/** Whether a plugin specifier is a file path (`./plugins/irc.js`, `/opt/x.js`, `file:...`) rather than a package. */
export function isPathSpecifier(specifier: string): boolean {
  return /^(?:\.{1,2}(?:[/\\]|$)|[/\\]|file:|[A-Za-z]:[/\\])/.test(specifier);
}

/** The package a specifier names, without its subpath: `@confab/core/x` → `@confab/core`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

const KIND_PREFIX = /^(?:transport|backend|commands?|scheduler|store|plugin)-/;

/**
 * The instance name of a plugin entry without `name`: the package name without its scope, a
 * `confab-` prefix and a kind prefix, or a file path's file name without extension.
 * `@acme/confab-transport-irc` → `irc`, `./plugins/my-bot.js` → `my-bot`.
 */
export function defaultInstanceName(specifier: string): string {
  const base = isPathSpecifier(specifier)
    ? (specifier.split(/[/\\]/).pop() ?? '').replace(/\.[cm]?[jt]sx?$/, '')
    : (packageNameOf(specifier).split('/').pop() ?? '');
  const stripped = base.replace(/^confab-/, '').replace(KIND_PREFIX, '');
  const name = (stripped || base).replace(/[^\p{L}\p{N}\p{M}_.-]+/gu, '-').replace(/^[^\p{L}\p{N}]+/u, '');
  return name || 'plugin';
}
