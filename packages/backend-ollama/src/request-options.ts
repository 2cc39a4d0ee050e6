import type { SamplingOptions } from '@confab/core';
import type { Options } from 'ollama';
import type { OllamaOptions } from './config.js';

/** Ollama's per-request options and `keep_alive`, from a profile and a mate's sampling. */
export interface OllamaRequestOptions {
  readonly options: Partial<Options>;
  readonly keepAlive?: string | number;
}

/** The mate's sampling in Ollama's names; every confab sampling option has an Ollama option. */
function fromSampling(sampling: SamplingOptions): Partial<Options> {
  const out: Partial<Options> = {};
  if (sampling.temperature !== undefined) out.temperature = sampling.temperature;
  if (sampling.topK !== undefined) out.top_k = sampling.topK;
  if (sampling.topP !== undefined) out.top_p = sampling.topP;
  if (sampling.minP !== undefined) out.min_p = sampling.minP;
  if (sampling.repeatPenalty !== undefined) out.repeat_penalty = sampling.repeatPenalty;
  if (sampling.seed !== undefined) out.seed = sampling.seed;
  if (sampling.maxTokens !== undefined) out.num_predict = sampling.maxTokens;
  return out;
}

/**
 * Merges a profile's options with a mate's sampling: the profile sets defaults for the model,
 * the mate's own sampling wins where both set something. `keep_alive` is a request field in
 * Ollama's API, not an option, so it is taken out.
 */
export function ollamaRequestOptions(
  profile: OllamaOptions,
  sampling: SamplingOptions,
): OllamaRequestOptions {
  const { keep_alive: keepAlive, ...options } = profile;
  const merged: Partial<Options> = { ...options, ...fromSampling(sampling) };
  return keepAlive === undefined ? { options: merged } : { options: merged, keepAlive };
}
