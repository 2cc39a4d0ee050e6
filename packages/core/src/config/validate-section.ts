import type { output, ZodIssue, ZodTypeAny } from 'zod';
import { acceptedKeys } from './accepted-keys.js';
import { configErrorMap } from './config-error-map.js';
import type { ConfigPath } from './config-path.js';
import type { ConfigSource } from './config-source.js';
import { quoteValue } from './describe-value.js';
import { didYouMean } from './suggest.js';

/**
 * Validates the section of the config at `prefix` with {@link configErrorMap}, whose messages say
 * what was expected, and reports zod's issues in the order zod found them: "found X, expected Y",
 * "missing; expected Y", and one issue per unknown key with a suggestion. `outerKeys` are also
 * accepted at the top of the section though its schema does not list them (core's `name`, `plugin`).
 *
 * @returns the section's data, or undefined when it is invalid.
 */
export async function validateSection<T extends ZodTypeAny>(
  source: ConfigSource,
  schema: T,
  input: unknown,
  prefix: ConfigPath = [],
  outerKeys: readonly string[] = [],
): Promise<{ readonly data: output<T> } | undefined> {
  const result = await schema.safeParseAsync(input, { errorMap: configErrorMap });
  if (result.success) return { data: result.data };

  const report = async (issue: ZodIssue): Promise<void> => {
    const path = [...prefix, ...issue.path];
    const found = `found ${source.describeFound(path)}, expected ${issue.message}`;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const accepted = await acceptedKeys(schema, input, issue.path);
        const allowed = issue.path.length === 0 ? [...outerKeys, ...accepted] : accepted;
        for (const key of issue.keys) source.reportUnknownKey([...path, key], allowed);
        return;
      }
      case 'invalid_union': {
        // Options with issues further in took the value for its kind; the one with the fewest
        // issues is the closest to what was meant, and its issues say what is wrong.
        const closest = issue.unionErrors
          .filter((error) => error.issues.some((inner) => inner.path.length > issue.path.length))
          .sort((a, b) => a.issues.length - b.issues.length)[0];
        if (!closest) source.report(path, found);
        for (const inner of closest?.issues ?? []) await report(inner);
        return;
      }
      case 'invalid_type':
        if (issue.received === 'undefined') source.reportMissing(path, `missing; expected ${issue.message}`);
        else source.report(path, found);
        return;
      case 'invalid_enum_value': {
        const options = issue.options.map(String);
        const fromEnvironment = source.fromEnvironment(path) !== undefined;
        source.report(path, found + (fromEnvironment ? '' : didYouMean(String(issue.received), options)));
        return;
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
        if (onKey) source.report(path, `found the key ${quoteValue(last)}, expected ${issue.message}`, 'key');
        else source.report(path, found);
        return;
      }
      default:
        source.report(path, found);
    }
  };
  for (const issue of result.error.issues) await report(issue);
  return undefined;
}
