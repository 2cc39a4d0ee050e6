import { type LlamaModel, TokenBias } from 'node-llama-cpp';

/**
 * A token bias that never samples the end-of-generation tokens, for fixed-length output
 * (benchmarks). `TokenBias.set()` deliberately skips EOG tokens, so this writes the bias map
 * the sampler reads (`_biases`, stable in the pinned node-llama-cpp 3.22.x); the backend's
 * tests prove the effect, so an upgrade that changes it fails loudly.
 */
export function eogBan(model: LlamaModel): TokenBias {
  const bias = new TokenBias(model.tokenizer);
  const biases = (bias as unknown as { _biases?: Map<number, number> })._biases;
  if (!(biases instanceof Map))
    throw new Error('node-llama-cpp TokenBias changed: cannot ban end-of-generation');
  const eog = new Set<number>();
  for (const token of [model.tokens.eos, model.tokens.eot]) if (token !== null) eog.add(token);
  for (const text of ['<|im_end|>', '<|endoftext|>', '<|eot_id|>', '</s>']) {
    for (const token of model.tokenize(text, true)) if (model.isEogToken(token)) eog.add(token);
  }
  for (const token of eog) biases.set(token, Number.NEGATIVE_INFINITY);
  return bias;
}
