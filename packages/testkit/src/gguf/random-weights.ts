import { SeededRandom } from './seeded-random.js';
import type { WeightSource } from './weight-source.js';

/**
 * Random weights, layers at twice the unit variance so attention is peaked and the output
 * depends on the whole context: gibberish that differs by prompt, which is what sampling and batching
 * tests need (ban the end-of-generation tokens to get a fixed length).
 */
export function randomWeights(vocabSize: number, embedding: number, seed: number): WeightSource {
  const random = new SeededRandom(seed);
  return {
    tokenEmbedding: () => random.fill(vocabSize * embedding, 1),
    output: () => random.fill(vocabSize * embedding, 2 / Math.sqrt(embedding)),
    layerMatrix: (count, fanIn) => random.fill(count, 2 / Math.sqrt(fanIn)),
  };
}
