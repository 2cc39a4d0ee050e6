import { defaultErrorMap, type ZodErrorMap, type ZodIssueOptionalMessage } from 'zod';

/** The types YAML has, by zod's names for them. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'an empty value',
};

/**
 * The error map config validation runs with, passed to each parse (never set globally): every
 * issue's message says what the value should be, to follow "found X, expected": `an integer`,
 * `at least 1 item`, `one of: per-user, per-room`, `a number or "v8"`. A message the schema's
 * author wrote (`{ message }` of a schema, or of a check, which zod uses without asking any map)
 * already says that, so it is kept.
 */
export const configErrorMap: ZodErrorMap = (issue, ctx) => {
  const authored = ctx.defaultError !== defaultErrorMap(issue, ctx).message;
  return { message: authored ? ctx.defaultError : expectation(issue) };
};

function expectation(issue: ZodIssueOptionalMessage): string {
  const oneOf = (values: readonly string[]): string => `one of: ${values.join(', ')}`;
  switch (issue.code) {
    case 'invalid_type':
      // An enum's `expected` is its values as zod joins them: `'per-user' | 'per-room'`.
      return (
        TYPE_NAMES[issue.expected] ??
        oneOf(issue.expected.split(' | ').map((v) => v.replace(/^'(.*)'$/, '$1')))
      );
    case 'invalid_literal':
      return JSON.stringify(issue.expected);
    case 'invalid_enum_value':
    case 'invalid_union_discriminator':
      return oneOf(issue.options.map(String));
    case 'invalid_union': {
      // Each option failed on the value itself (else the section reports the closest option's issues).
      const options = issue.unionErrors.flatMap((error) => error.issues.map((option) => option.message));
      return [...new Set(options)].join(' or ');
    }
    case 'too_small':
    case 'too_big': {
      const n = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const bound = issue.exact ? 'exactly' : issue.code === 'too_small' ? 'at least' : 'at most';
      const count = (unit: string): string => `${bound} ${n} ${unit}${n === 1 ? '' : 's'}`;
      if (issue.type === 'array' || issue.type === 'set') return count('item');
      if (issue.type === 'string') return count('character');
      if (issue.exact) return `exactly ${n}`;
      return `a number ${issue.code === 'too_small' ? '>' : '<'}${issue.inclusive ? '=' : ''} ${n}`;
    }
    case 'invalid_string':
      return `a valid ${typeof issue.validation === 'string' ? issue.validation : Object.keys(issue.validation)[0]}`;
    case 'not_multiple_of':
      return `a multiple of ${issue.multipleOf}`;
    case 'not_finite':
      return 'a finite number';
    default:
      return 'a valid value';
  }
}
