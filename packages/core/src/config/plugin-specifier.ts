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
 * The instance name a plugin entry gets when it sets no `name`: the package name without its
 * scope, a `confab-` prefix and then a kind prefix (`transport-`, `backend-`, `command-`,
 * `commands-`, `scheduler-`, `store-`, `plugin-`). A subpath is ignored; for a file path, the
 * file name without extension is used.
 *
 * `@confab/transport-console` → `console`, `@acme/confab-transport-irc` → `irc`,
 * `confab-backend-vllm` → `vllm`, `./plugins/my-bot.js` → `my-bot`.
 *
 * Two entries of the same package need explicit names to tell them apart.
 */
export function defaultInstanceName(specifier: string): string {
  const base = isPathSpecifier(specifier)
    ? (specifier.split(/[/\\]/).pop() ?? '').replace(/\.[cm]?[jt]sx?$/, '')
    : (packageNameOf(specifier).split('/').pop() ?? '');
  const stripped = base.replace(/^confab-/, '').replace(KIND_PREFIX, '');
  const name = (stripped || base).replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return name || 'plugin';
}
