// Fenced blocks (an unclosed fence runs to the end), then inline code spans: a run of backticks
// closed by a run of the same length.
const CODE = /```[\s\S]*?(?:```|$)|(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g;

/**
 * Applies `rewrite` to the text outside code, leaving inline code and fenced blocks as written:
 * what a person quotes there (an id, a name, an example) is not addressed to anyone.
 */
export function outsideCode(text: string, rewrite: (prose: string) => string): string {
  let result = '';
  let last = 0;
  for (const code of text.matchAll(CODE)) {
    result += rewrite(text.slice(last, code.index)) + code[0];
    last = code.index + code[0].length;
  }
  return result + rewrite(text.slice(last));
}

/** The text with its code blanked out, for looking for names and keywords. */
export function withoutCode(text: string): string {
  return text.replace(CODE, ' ');
}
