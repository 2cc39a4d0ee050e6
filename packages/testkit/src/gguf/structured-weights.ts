import { SeededRandom } from './seeded-random.js';
import type { TinyVocabulary } from './vocabulary.js';
import type { WeightSource } from './weight-source.js';

/**
 * The greedy continuation a structured model produces after each character: after a newline
 * it says `OK.` and ends; a digit counts down (`5` → `43210`) and ends after `0`; any other
 * token is followed by a newline. `null` means the end-of-generation token (`<|im_end|>`).
 *
 * So a ChatML prompt, which ends in `<|im_start|>assistant\n`, is always answered `OK.`.
 */
export function structuredNext(character: string): string | null {
  if (character === '\n') return 'O';
  if (character === 'O') return 'K';
  if (character === 'K') return '.';
  if (character === '.' || character === '0') return null;
  if (character >= '1' && character <= '9') return String.fromCharCode(character.charCodeAt(0) - 1);
  return '\n';
}

/** The text a structured model generates greedily after `last` (the last character of the prompt). */
export function structuredContinuation(last: string, maxTokens = 64): string {
  let text = '';
  let current: string | null = last;
  for (let i = 0; i < maxTokens; i++) {
    current = structuredNext(current);
    if (current === null) break;
    text += current;
  }
  return text;
}

const TARGETS = ['\n', 'O', 'K', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', null] as const;

/**
 * Structured weights: coordinate `j` of the residual stream encodes "the next token is target
 * j". Each token's embedding puts 1 on its target's coordinate plus small random values on
 * the coordinates no target uses (so tokens stay distinct for attention), and the output
 * matrix reads the target coordinates back. The layers are random but small, so every token
 * still runs through real attention, FFN and KV cache without changing the argmax.
 */
export function structuredWeights(vocabulary: TinyVocabulary, embedding: number, seed: number): WeightSource {
  if (embedding < TARGETS.length * 2) {
    throw new Error(`structured weights need embedding >= ${TARGETS.length * 2}, got ${embedding}`);
  }
  const random = new SeededRandom(seed);
  const vocabSize = vocabulary.tokens.length;
  const targetIds = TARGETS.map((target) => (target === null ? vocabulary.imEnd : vocabulary.idOf(target)));
  const targetOfToken = (token: number): number => {
    const text = vocabulary.tokens[token]!;
    let character: string | undefined;
    if (text === '\u2581') character = ' ';
    else if (text.length === 1) character = text;
    else if (text === '<0x0A>') character = '\n';
    const next = character === undefined ? '\n' : structuredNext(character);
    return TARGETS.indexOf(next as (typeof TARGETS)[number]);
  };
  return {
    tokenEmbedding() {
      const values = new Float32Array(vocabSize * embedding);
      for (let token = 0; token < vocabSize; token++) {
        const row = token * embedding;
        values[row + targetOfToken(token)] = 1;
        for (let i = TARGETS.length; i < embedding; i++) values[row + i] = (random.next() * 2 - 1) * 0.17;
      }
      return values;
    },
    output() {
      const values = new Float32Array(vocabSize * embedding);
      targetIds.forEach((token, index) => {
        values[token * embedding + index] = 4;
      });
      return values;
    },
    layerMatrix: (count, fanIn) => random.fill(count, 0.1 / Math.sqrt(fanIn)),
  };
}
