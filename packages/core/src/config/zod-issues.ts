import { defaultErrorMap, type ZodError, type ZodIssue, type ZodTypeAny } from 'zod';
import type { ConfigIssue } from './config-error.js';
import { type ConfigPath, formatPath } from './config-path.js';
import type { ConfigSource } from './config-source.js';
import { describeSchema } from './describe-schema.js';
import { quoteValue } from './describe-value.js';
import { objectKeysAt, schemaAtPath } from './schema-at-path.js';
import { closestMatch, didYouMean, unknownKeyMessage } from './suggest.js';

/** Where a zod validation ran: which schema, and where its input sits in the config file. */
export interface ZodIssueContext {
  readonly source: ConfigSource;
  /** The schema that was run; issue paths are relative to it. */
  readonly schema: ZodTypeAny;
  /** Path of the schema's input in the file, e.g. `['backends', 0]` for a plugin section. */
  readonly prefix: ConfigPath;
  /** Keys also accepted at the top of the input though the schema does not list them (core's `name`, `plugin`). */
  readonly outerKeys?: readonly string[];
}

const ZOD_TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  float: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  map: 'a mapping',
  null: 'an empty value',
};

/** Whether the schema author wrote the issue's message (a check's `message`), rather than zod. */
function hasCustomMessage(issue: ZodIssue): boolean {
  return issue.message !== defaultErrorMap(issue, { defaultError: issue.message, data: undefined }).message;
}

function bound(
  kind: 'min' | 'max',
  issue: { type: string; inclusive: boolean; exact?: boolean },
  n: number | bigint,
): string {
  const plural = (unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const limit = issue.exact ? 'exactly' : kind === 'min' ? 'at least' : 'at most';
  switch (issue.type) {
    case 'array':
    case 'set':
      return `${limit} ${plural('item')}`;
    case 'string':
      return `${limit} ${plural('character')}`;
    default: {
      const op = kind === 'min' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      return issue.exact ? `exactly ${n}` : `a number ${op} ${n}`;
    }
  }
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

/** Turns a zod error into config issues, in the order zod found them. */
export function zodErrorToConfigIssues(error: ZodError, context: ZodIssueContext): ConfigIssue[] {
  return error.issues.flatMap((issue) => zodIssueToConfigIssues(issue, context));
}

function allowedKeys(path: ConfigPath, context: ZodIssueContext): string[] {
  const known = objectKeysAt(context.schema, path) ?? [];
  return path.length === 0 ? [...(context.outerKeys ?? []), ...known] : known;
}

/**
 * Turns one zod issue into config issues in house form: "found X, expected Y", "missing;
 * expected Y", and for unknown keys one issue per key with a suggestion. Messages the schema
 * author wrote describe what is expected (`'at least one transport'`), so they follow "expected".
 */
export function zodIssueToConfigIssues(issue: ZodIssue, context: ZodIssueContext): ConfigIssue[] {
  const { source, schema, prefix } = context;
  const path = [...prefix, ...issue.path];
  const found = (): string => source.describeFound(path);
  const expected = (): string | undefined => {
    const at = schemaAtPath(schema, issue.path);
    return at && describeSchema(at);
  };

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(issue.path, context);
      return issue.keys.map((key) => {
        const configIssue = source.issue([...path, key], unknownKeyMessage(key, allowed), 'key');
        const match = closestMatch(key, allowed);
        if (match !== undefined) misspeltKeys.set(configIssue, formatPath([...path, match]));
        return configIssue;
      });
    }
    case 'invalid_type': {
      const wanted = expected() ?? ZOD_TYPE_NAMES[issue.expected] ?? issue.expected;
      if (issue.received === 'undefined') {
        const missing = source.issue(path, `missing; expected ${wanted}`);
        missingKeys.add(missing);
        return [missing];
      }
      return [source.issue(path, `found ${found()}, expected ${wanted}`)];
    }
    case 'invalid_enum_value': {
      const options = issue.options.map(String);
      const received = source.isFromEnvironment(path) ? '' : didYouMean(String(issue.received), options);
      return [source.issue(path, `found ${found()}, expected one of: ${options.join(', ')}${received}`)];
    }
    case 'invalid_literal':
      return [source.issue(path, `found ${found()}, expected ${JSON.stringify(issue.expected)}`)];
    case 'too_small':
    case 'too_big': {
      const wanted = hasCustomMessage(issue)
        ? issue.message
        : bound(
            issue.code === 'too_small' ? 'min' : 'max',
            issue,
            issue.code === 'too_small' ? issue.minimum : issue.maximum,
          );
      return [keyOrValueIssue(issue, context, path, wanted)];
    }
    case 'invalid_string': {
      const validation =
        typeof issue.validation === 'string' ? issue.validation : Object.keys(issue.validation)[0];
      const wanted = hasCustomMessage(issue) ? issue.message : `a valid ${validation ?? 'string'}`;
      return [keyOrValueIssue(issue, context, path, wanted)];
    }
    case 'not_multiple_of':
      return [source.issue(path, `found ${found()}, expected a multiple of ${issue.multipleOf}`)];
    case 'not_finite':
      return [source.issue(path, `found ${found()}, expected a finite number`)];
    case 'invalid_union': {
      const wanted = expected();
      if (wanted) return [source.issue(path, `found ${found()}, expected ${wanted}`)];
      return [source.issue(path, `found ${found()}, which matches none of the accepted forms`)];
    }
    default:
      return [
        source.issue(
          path,
          hasCustomMessage(issue) || issue.code === 'custom'
            ? `found ${found()}, expected ${issue.message}`
            : `found ${found()}: ${issue.message}`,
        ),
      ];
  }
}

/**
 * A string check that failed on a record key (`profiles: { "my model": ... }`) has the key's path
 * but is about the key, so the key is what was found.
 */
function keyOrValueIssue(
  issue: ZodIssue,
  context: ZodIssueContext,
  path: ConfigPath,
  wanted: string,
): ConfigIssue {
  const { source } = context;
  const last = path[path.length - 1];
  const isKey =
    typeof last === 'string' &&
    (issue.code === 'invalid_string' || (issue.code === 'too_small' && issue.type === 'string')) &&
    typeof source.valueAt(path) !== 'string';
  if (isKey) return source.issue(path, `found the key ${quoteValue(last)}, expected ${wanted}`, 'key');
  return source.issue(path, `found ${source.describeFound(path)}, expected ${wanted}`);
}
