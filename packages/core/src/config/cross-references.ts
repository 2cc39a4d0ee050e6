import { type ConfigPath, formatPath } from './config-path.js';
import type { ConfigSource } from './config-source.js';
import { isMapping, quoteValue, truncateText } from './describe-value.js';
import type { PluginSectionEntry } from './plugin-sections.js';
import { mateSchema } from './schema.js';
import { didYouMean } from './suggest.js';

/**
 * A name as people read it, for telling whether two names are the same: compatibility forms
 * folded (`Ａ` is `A`, `ﬁ` is `fi`), then case (`ß` is `ss`). Mates are addressed ignoring case
 * (`@HELPER` reaches `helper`), so two names that differ only so would both answer.
 */
function nameKey(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase();
}

/** Known names for "one of: ...": the first ten, each cut short, and how many more there are. */
function oneOf(names: readonly string[]): string {
  const shown = names.slice(0, 10).map((name) => truncateText(name, 40));
  return names.length > 10 ? `${shown.join(', ')} and ${names.length - 10} more` : shown.join(', ');
}

/**
 * Checks that names are unique within each list, ignoring case ({@link nameKey}), that each
 * mate's `backend` names a backend and its `profile` and `profiles[]` name profiles of it, and
 * that a transport's `accounts[].mate` (transports that host one bot identity per mate) names a
 * mate. A list that is empty or a
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
    const first = new Map<string, { path: ConfigPath; name: string }>();
    for (const { path, name } of list) {
      const earlier = first.get(nameKey(name));
      if (earlier === undefined) {
        first.set(nameKey(name), { path, name });
        continue;
      }
      const where = formatPath(earlier.path);
      const lookalike = earlier.name !== name;
      if (typeof source.valueAt([...path, 'name']) !== 'string') {
        const taken = lookalike
          ? `differs only in case or character form from ${quoteValue(earlier.name)} of ${where}`
          : `is already used by ${where}`;
        source.report(
          path,
          `the name ${quoteValue(name)}, derived from the package, ${taken}; add a distinct name: to this entry`,
        );
      } else if (lookalike) {
        source.report(
          [...path, 'name'],
          `found ${quoteValue(name)}, but ${where} is named ${quoteValue(earlier.name)}, the same name but for ` +
            `case or character form; names must be unique within ${section}, ignoring case`,
        );
      } else {
        source.report(
          [...path, 'name'],
          `found ${quoteValue(name)}, but ${where} already has that name; names must be unique within ${section}`,
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
    source.report(path, `found ${found}, expected ${what} (one of: ${oneOf(known)})${suggestion}`);
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
