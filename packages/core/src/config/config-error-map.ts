import {
  defaultErrorMap,
  type ZodErrorMap,
  type ZodIssueOptionalMessage,
  type ZodTooBigIssue,
  type ZodTooSmallIssue,
} from 'zod';

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
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_NAMES[issue.expected] ?? enumValues(issue.expected);
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
    case 'too_big':
      return bound(issue);
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

function oneOf(values: readonly string[]): string {
  return `one of: ${values.join(', ')}`;
}

/** An enum's `expected`, as zod joins its values (`'per-user' | 'per-room'`), as a list. */
function enumValues(expected: string): string {
  return oneOf(expected.split(' | ').map((value) => value.replace(/^'(.*)'$/, '$1')));
}

/** `at least 1 item`, `at most 8 characters`, `a number > 0`, `exactly 3`. */
function bound(issue: ZodTooSmallIssue | ZodTooBigIssue): string {
  const small = issue.code === 'too_small';
  const n = small ? issue.minimum : issue.maximum;
  const count = (unit: string): string =>
    `${issue.exact ? 'exactly' : small ? 'at least' : 'at most'} ${n} ${unit}${n === 1 ? '' : 's'}`;
  if (issue.type === 'array' || issue.type === 'set') return count('item');
  if (issue.type === 'string') return count('character');
  if (issue.exact) return `exactly ${n}`;
  return `a number ${small ? '>' : '<'}${issue.inclusive ? '=' : ''} ${n}`;
}
