import type { MateConfig } from './schema.js';
import type { ConfigIssue } from './config-error.js';
import { type ConfigPath, formatPath } from './config-path.js';
import type { ConfigSource } from './config-source.js';
import { quoteValue } from './describe-value.js';
import { didYouMean } from './suggest.js';

/** A named entry of a list section, for the uniqueness check. */
export interface NamedEntry {
  readonly path: ConfigPath;
  readonly name: string;
  /** Whether the name was derived from the plugin's package rather than written. */
  readonly derived?: boolean;
}

/**
 * Reports every entry whose name an earlier entry of the same section already has, at the later
 * one: at its `name`, or at the entry itself when the name was derived from the package.
 */
export function duplicateNames(
  source: ConfigSource,
  section: string,
  entries: readonly NamedEntry[],
): ConfigIssue[] {
  const first = new Map<string, ConfigPath>();
  const issues: ConfigIssue[] = [];
  for (const entry of entries) {
    const earlier = first.get(entry.name);
    if (earlier === undefined) {
      first.set(entry.name, entry.path);
    } else if (entry.derived) {
      issues.push(
        source.issue(
          entry.path,
          `the name "${entry.name}", derived from the package, is already used by ${formatPath(earlier)}; ` +
            'add a distinct name: to this entry',
        ),
      );
    } else {
      const path = [...entry.path, 'name'];
      issues.push(
        source.issue(
          path,
          `found ${quoteValue(entry.name)}, but ${formatPath(earlier)} already has that name; ` +
            `names must be unique within ${section}`,
        ),
      );
    }
  }
  return issues;
}

/** What a name refers to, for "found X, expected the name of a backend (one of: ...)". */
interface Target {
  readonly what: string;
  readonly names: readonly string[];
}

function reference(
  source: ConfigSource,
  path: ConfigPath,
  name: string,
  target: Target,
): ConfigIssue | undefined {
  if (target.names.includes(name)) return undefined;
  const fromEnvironment = source.isFromEnvironment(path);
  const found = fromEnvironment ? source.describeFound(path) : quoteValue(name);
  const suggestion = fromEnvironment ? '' : didYouMean(name, target.names);
  return source.issue(
    path,
    `found ${found}, expected ${target.what} (one of: ${target.names.join(', ')})${suggestion}`,
  );
}

/** A mate that passed core validation, at its index. */
export interface ValidMate {
  readonly index: number;
  readonly mate: MateConfig;
}

/**
 * Checks that each mate's `backend` names a backend, and its `profile` and `profiles[]` name
 * profiles of that backend. `backends` maps every named backend to its profile names (undefined
 * when its profiles are invalid, which core already reported). Nothing is checked against an
 * empty list, which core reported too.
 */
export function mateReferences(
  source: ConfigSource,
  mates: readonly ValidMate[],
  backends: ReadonlyMap<string, readonly string[] | undefined>,
): ConfigIssue[] {
  if (backends.size === 0) return [];
  const issues: ConfigIssue[] = [];
  const backendNames = [...backends.keys()];
  for (const { index, mate } of mates) {
    const path = ['mates', index];
    const backendIssue = reference(source, [...path, 'backend'], mate.backend, {
      what: 'the name of a backend',
      names: backendNames,
    });
    if (backendIssue) {
      issues.push(backendIssue);
      continue;
    }
    const profiles = backends.get(mate.backend);
    if (!profiles || profiles.length === 0) continue;
    const target = { what: `a profile of backend "${mate.backend}"`, names: profiles };
    const candidates: [ConfigPath, string][] = [
      [[...path, 'profile'], mate.profile],
      ...mate.profiles.map((profile, k): [ConfigPath, string] => [[...path, 'profiles', k], profile]),
    ];
    for (const [at, name] of candidates) {
      const issue = reference(source, at, name, target);
      if (issue) issues.push(issue);
    }
  }
  return issues;
}

/**
 * Checks `accounts[j].mate` of a transport entry, for transports that host one bot identity per
 * mate: each must name a mate. Entries without such an `accounts` list are left alone.
 */
export function accountReferences(
  source: ConfigSource,
  entryPath: ConfigPath,
  entry: Readonly<Record<string, unknown>>,
  mateNames: readonly string[],
): ConfigIssue[] {
  const accounts = entry.accounts;
  if (!Array.isArray(accounts) || mateNames.length === 0) return [];
  const issues: ConfigIssue[] = [];
  accounts.forEach((account: unknown, j) => {
    if (account === null || typeof account !== 'object') return;
    const mate = (account as Record<string, unknown>).mate;
    if (typeof mate !== 'string') return;
    const issue = reference(source, [...entryPath, 'accounts', j, 'mate'], mate, {
      what: 'the name of a mate',
      names: mateNames,
    });
    if (issue) issues.push(issue);
  });
  return issues;
}
