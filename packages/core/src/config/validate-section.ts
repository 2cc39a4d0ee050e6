import type { output, ZodIssue, ZodTypeAny, ZodUnrecognizedKeysIssue } from 'zod';
import { acceptedKeys } from './accepted-keys.js';
import type { ConfigIssue } from './config-error.js';
import { configErrorMap } from './config-error-map.js';
import { type ConfigPath, formatPath } from './config-path.js';
import type { ConfigSource } from './config-source.js';
import { quoteValue } from './describe-value.js';
import { closestMatch, didYouMean, unknownKeyMessage } from './suggest.js';

/** Where a section of the config file sits, for locating and wording its issues. */
export interface SectionContext {
  readonly source: ConfigSource;
  /** Path of the section in the file, e.g. `['backends', 0]` for a plugin's; zod's paths are relative to it. */
  readonly prefix: ConfigPath;
  /** Keys also accepted at the top of the section though its schema does not list them (core's `name`, `plugin`). */
  readonly outerKeys?: readonly string[];
}

/** A validated section, or the config issues that say why it is not valid. */
export type SectionResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly issues: ConfigIssue[] };

interface Section extends SectionContext {
  readonly schema: ZodTypeAny;
  readonly input: unknown;
}

const missingKeys = new WeakSet<ConfigIssue>();
const misspeltKeys = new WeakMap<ConfigIssue, string>();

/** Whether `issue` says a required key is missing. */
export function isMissingKeyIssue(issue: ConfigIssue): boolean {
  return missingKeys.has(issue);
}

/**
 * For an unknown-key issue with a suggestion, the path of the suggested key: a key reported
 * missing there is the same mistake, so {@link IssueList} keeps only the unknown key.
 */
export function suggestedKeyPath(issue: ConfigIssue): string | undefined {
  return misspeltKeys.get(issue);
}

/**
 * Validates a section of the config with {@link configErrorMap}, whose messages say what was
 * expected, and turns zod's issues into config issues in the order zod found them: "found X,
 * expected Y", "missing; expected Y", and one issue per unknown key with a suggestion.
 */
export async function validateSection<T extends ZodTypeAny>(
  schema: T,
  input: unknown,
  context: SectionContext,
): Promise<SectionResult<output<T>>> {
  const result = await schema.safeParseAsync(input, { errorMap: configErrorMap });
  if (result.success) return { success: true, data: result.data };
  return { success: false, issues: await toConfigIssues(result.error.issues, { ...context, schema, input }) };
}

async function toConfigIssues(issues: readonly ZodIssue[], section: Section): Promise<ConfigIssue[]> {
  return (await Promise.all(issues.map((issue) => toConfigIssue(issue, section)))).flat();
}

async function toConfigIssue(issue: ZodIssue, section: Section): Promise<ConfigIssue[]> {
  const { source } = section;
  const path = [...section.prefix, ...issue.path];
  const found = `found ${source.describeFound(path)}, expected ${issue.message}`;
  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKeys(issue, path, section);
    case 'invalid_union': {
      // Options with issues further in took the value for its kind; the one with the fewest
      // issues is the closest to what was meant, and its issues say what is wrong.
      const closest = issue.unionErrors
        .filter((error) => error.issues.some((inner) => inner.path.length > issue.path.length))
        .sort((a, b) => a.issues.length - b.issues.length)[0];
      return closest ? toConfigIssues(closest.issues, section) : [source.issue(path, found)];
    }
    case 'invalid_type': {
      if (issue.received !== 'undefined') return [source.issue(path, found)];
      const missing = source.issue(path, `missing; expected ${issue.message}`);
      missingKeys.add(missing);
      return [missing];
    }
    case 'invalid_enum_value': {
      const options = issue.options.map(String);
      const suggestion = source.isFromEnvironment(path) ? '' : didYouMean(String(issue.received), options);
      return [source.issue(path, found + suggestion)];
    }
    case 'invalid_string':
    case 'too_small': {
      // A string check that failed on a record key (`profiles: { "my model": ... }`) has the
      // key's path but is about the key.
      const last = path.at(-1);
      const onKey =
        typeof last === 'string' &&
        (issue.code === 'invalid_string' || issue.type === 'string') &&
        typeof source.valueAt(path) !== 'string';
      if (onKey)
        return [source.issue(path, `found the key ${quoteValue(last)}, expected ${issue.message}`, 'key')];
      return [source.issue(path, found)];
    }
    default:
      return [source.issue(path, found)];
  }
}

async function unknownKeys(
  issue: ZodUnrecognizedKeysIssue,
  path: ConfigPath,
  section: Section,
): Promise<ConfigIssue[]> {
  const accepted = await acceptedKeys(section.schema, section.input, issue.path);
  const allowed = issue.path.length === 0 ? [...(section.outerKeys ?? []), ...accepted] : accepted;
  return issue.keys.map((key) => {
    const unknown = section.source.issue([...path, key], unknownKeyMessage(key, allowed), 'key');
    const match = closestMatch(key, allowed);
    if (match !== undefined) misspeltKeys.set(unknown, formatPath([...path, match]));
    return unknown;
  });
}
