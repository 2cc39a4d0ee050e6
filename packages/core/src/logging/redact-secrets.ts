import { escapeRegExp } from '../messages/whole-word.js';

/** What a secret is replaced with wherever it would be shown. */
export const REDACTED = '[redacted]';

/**
 * A function that replaces every occurrence of each of `secrets` in a text with `[redacted]`,
 * for anything logged or shown: a server may echo a key back in an error message ("Incorrect API
 * key provided: ..."), under whatever field it likes. Each secret is also matched as it reads
 * inside a JSON string, so a whole log line can be redacted after it is serialized.
 */
export function secretRedactor(secrets: Iterable<string>): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  if (forms.size === 0) return (text) => text;
  // Longest first, so a secret that contains another is replaced whole.
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}
