/** llama.cpp token types (`llama_token_type`). */
const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;

/**
 * The tiny SentencePiece-style vocabulary every generated model uses: control tokens, the 256
 * byte-fallback tokens, `▁` (the space) and printable ASCII as single characters. With no
 * multi-character pieces, every character is its own token, so a test can reason about
 * tokens as characters.
 */
export interface TinyVocabulary {
  readonly tokens: readonly string[];
  readonly scores: Float32Array;
  readonly types: Int32Array;
  readonly unk: number;
  readonly bos: number;
  readonly eos: number;
  readonly imStart: number;
  readonly imEnd: number;
  /** Id of the token a one-character string (or `\n`, via its byte token) maps to. */
  idOf(character: string): number;
}

/** ChatML, the template node-llama-cpp recognises and maps to its ChatML wrapper. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const SPACE = '\u2581';

function byteToken(byte: number): string {
  return `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`;
}

/** Builds the vocabulary (deterministic, ~356 tokens). */
export function tinyVocabulary(): TinyVocabulary {
  const tokens: string[] = [];
  const types: number[] = [];
  const push = (text: string, type: number): number => {
    tokens.push(text);
    types.push(type);
    return tokens.length - 1;
  };
  const unk = push('<unk>', TokenType.UNKNOWN);
  const bos = push('<s>', TokenType.CONTROL);
  const eos = push('</s>', TokenType.CONTROL);
  const imStart = push('<|im_start|>', TokenType.CONTROL);
  const imEnd = push('<|im_end|>', TokenType.CONTROL);
  const byteBase = tokens.length;
  for (let byte = 0; byte < 256; byte++) push(byteToken(byte), TokenType.BYTE);
  const ids = new Map<string, number>();
  ids.set(' ', push(SPACE, TokenType.NORMAL));
  for (let code = 0x21; code <= 0x7e; code++) {
    const character = String.fromCharCode(code);
    ids.set(character, push(character, TokenType.NORMAL));
  }
  // Scores only rank merges; there are none, so they only need to be distinct and finite.
  const scores = Float32Array.from(tokens, (_, index) => -index);
  return {
    tokens,
    scores,
    types: Int32Array.from(types),
    unk,
    bos,
    eos,
    imStart,
    imEnd,
    idOf(character: string): number {
      const id = ids.get(character);
      if (id !== undefined) return id;
      const bytes = Buffer.from(character, 'utf8');
      if (bytes.length !== 1) throw new Error(`not a single-byte character: ${JSON.stringify(character)}`);
      return byteBase + bytes[0]!;
    },
  };
}
