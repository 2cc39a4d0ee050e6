import { type ConfigPath, formatPath } from './config-path.js';
import type { ConfigSource } from './config-source.js';
import { isMapping, quoteValue } from './describe-value.js';
import type { PluginSectionEntry } from './plugin-sections.js';
import { mateSchema } from './schema.js';
import { didYouMean } from './suggest.js';

/**
 * Checks that names are unique within each list, that each mate's `backend` names a backend and
 * its `profile` and `profiles[]` name profiles of it, and that a transport's `accounts[].mate`
 * (transports that host one bot identity per mate) names a mate. A list that is empty or a
 * backend whose profiles are not a mapping is left alone: core's schema reported it.
 */
export function checkReferences(source: ConfigSource, entries: readonly PluginSectionEntry[]): void {
  const { data } = source;
  const named = (section: string) => {
    const list = data[section];
    return (Array.isArray(list) ? list : []).flatMap((raw: unknown, index) =>
      isMapping(raw) && typeof raw.name === 'string' ? [{ path: [section, index], name: raw.name, raw }] : [],
    );
  };
  const backends = named('backends');
  const mates = named('mates');
  const lists = {
    transports: entries.filter((entry) => entry.kind === 'transport'),
    'commands.plugins': entries.filter((entry) => entry.kind === 'command'),
    backends,
    mates,
  };
  for (const [section, list] of Object.entries(lists)) {
    const first = new Map<string, ConfigPath>();
    for (const { path, name } of list) {
      const earlier = first.get(name);
      if (earlier === undefined) {
        first.set(name, path);
      } else if (typeof source.valueAt([...path, 'name']) !== 'string') {
        source.report(
          path,
          `the name "${name}", derived from the package, is already used by ${formatPath(earlier)}; ` +
            'add a distinct name: to this entry',
        );
      } else {
        source.report(
          [...path, 'name'],
          `found ${quoteValue(name)}, but ${formatPath(earlier)} already has that name; ` +
            `names must be unique within ${section}`,
        );
      }
    }
  }

  /** Whether `name` is one of `known`; if not, reports "found X, expected `what` (one of: ...)". */
  const refers = (path: ConfigPath, name: string, what: string, known: string[]): boolean => {
    if (known.includes(name)) return true;
    // A name from the environment is not shown, and a suggestion would hint at it.
    const fromEnvironment = source.fromEnvironment(path) !== undefined;
    const found = fromEnvironment ? source.describeFound(path) : quoteValue(name);
    const suggestion = fromEnvironment ? '' : didYouMean(name, known);
    source.report(path, `found ${found}, expected ${what} (one of: ${known.join(', ')})${suggestion}`);
    return false;
  };

  const profiles = new Map<string, string[] | undefined>();
  for (const { name, raw } of backends) {
    if (!profiles.has(name))
      profiles.set(name, isMapping(raw.profiles) ? Object.keys(raw.profiles) : undefined);
  }
  const backendNames = [...profiles.keys()];
  for (const [index, raw] of (Array.isArray(data.mates) ? data.mates : []).entries()) {
    const mate = mateSchema.safeParse(raw);
    if (!mate.success || backendNames.length === 0) continue;
    const { backend, profile } = mate.data;
    const at: ConfigPath = ['mates', index];
    if (!refers([...at, 'backend'], backend, 'the name of a backend', backendNames)) continue;
    const known = profiles.get(backend);
    if (!known?.length) continue;
    const what = `a profile of backend "${backend}"`;
    refers([...at, 'profile'], profile, what, known);
    for (const [k, name] of mate.data.profiles.entries()) refers([...at, 'profiles', k], name, what, known);
  }

  const mateNames = [...new Set(mates.map((mate) => mate.name))];
  for (const { kind, coreValid, path, section } of entries) {
    if (kind !== 'transport' || !coreValid || !Array.isArray(section.accounts) || !mateNames.length) continue;
    for (const [j, account] of section.accounts.entries()) {
      if (isMapping(account) && typeof account.mate === 'string') {
        refers([...path, 'accounts', j, 'mate'], account.mate, 'the name of a mate', mateNames);
      }
    }
  }
}
