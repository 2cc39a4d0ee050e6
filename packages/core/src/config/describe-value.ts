/** Whether a config value is a YAML mapping. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A string as it appears in a message: quoted, control characters escaped, long ones cut. */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
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
