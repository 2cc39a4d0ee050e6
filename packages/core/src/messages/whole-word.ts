// Word edges for any script (`\b` and `\W` know only ASCII letters); a `-` continues a word,
// as names may hold one: `bob-human` is not `bob`.
const WORD_START = '(?<![\\p{L}\\p{N}\\p{M}_-])';
const WORD_END = '(?![\\p{L}\\p{N}\\p{M}_-])';

/** `text` with every regular-expression syntax character escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A pattern source matching `literal` as a whole word in any script; use it with the `u` flag.
 * `edges: 'end'` checks only the end, for a literal that brings its own start (`@name`).
 */
export function wholeWord(literal: string, edges: 'both' | 'end' = 'both'): string {
  return `${edges === 'both' ? WORD_START : ''}${literal}${WORD_END}`;
}
