import { redactUrl } from '../logging/redact-url.js';

/** Whether a config value is a YAML mapping. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Characters that must not reach a terminal as they are: control characters (C0, DEL, C1; ESC
 * starts escape sequences, a newline would split one problem into two lines), the line and
 * paragraph separators, and the bidirectional overrides that reorder what a reader sees.
 */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every {@link UNPRINTABLE} character written as an escape (`\n`, `\u001b`), so it stays on one line. */
export function escapeText(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (char) => SHORT_ESCAPES[char] ?? `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** At most `max` characters of `text` (whole code points), with an ellipsis when it was cut. */
export function truncateText(text: string, max = 60): string {
  if (text.length <= max) return text;
  // `max` code points take at most twice as many UTF-16 units: no need to split a 5 MB value.
  const points = Array.from(text.slice(0, 2 * max + 1));
  return points.length <= max ? text : `${points.slice(0, max).join('')}…`;
}

/**
 * A string as it appears in a message: quoted, control characters escaped, long ones cut, and
 * a URL's user and password never shown (config errors are printed and logged).
 */
export function quoteValue(value: string): string {
  return escapeText(JSON.stringify(truncateText(redactUrl(value))));
}

/** Up to `shown` items as a reader lists them: `a`, `a and b`, `a, b, c and 4 more`. */
export function listSome(items: readonly string[], shown = 3): string {
  if (items.length <= shown) {
    return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
  }
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

/** The kind of a config value with its article: `a string`, `a list`, `an empty value`. */
export function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (isMapping(value)) return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  return `a ${typeof value}`;
}

/**
 * What was found, for "found X, expected Y": `a string "abc"`, `a number 5`, `a boolean true`,
 * `a list of 2 items`, `a mapping`, `an empty value`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `a string ${quoteValue(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `a ${typeof value} ${value}`;
  if (Array.isArray(value) && value.length > 0) {
    return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  return describeKind(value);
}
