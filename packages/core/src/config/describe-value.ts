const MAX_SHOWN = 60;

/** A string as it appears in a message: quoted, control characters escaped, long ones cut. */
export function quoteValue(value: string): string {
  const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
  return JSON.stringify(shown);
}

/** The kind of a config value with its article: `a string`, `a list`, `an empty value`. */
export function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
    default:
      return `a ${typeof value}`;
  }
}

/**
 * What was found, for "found X, expected Y": `a string "abc"`, `a number 5`, `a boolean true`,
 * `a list of 2 items`, `a mapping`, `an empty value`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `a string ${quoteValue(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean')
    return `${describeKind(value)} ${String(value)}`;
  if (Array.isArray(value) && value.length > 0) {
    return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  return describeKind(value);
}
