import { unsupportedSamplingWarnings } from '@confab/backend-kit';
import type { SamplingOptions } from '@confab/core';
import type { OpenAIOptions } from './config.js';

/** Confab sampling options chat completions has a parameter for. */
const SUPPORTED: readonly (keyof SamplingOptions)[] = ['temperature', 'topP', 'seed', 'maxTokens'];

/** Chat-completions parameters for one request, and warnings for what could not be sent. */
export interface OpenAIRequestOptions {
  readonly params: OpenAIOptions;
  readonly warnings: readonly string[];
}

/**
 * Merges a profile's options with a mate's sampling (the mate wins where both set something).
 * `topK`, `minP` and `repeatPenalty` have no chat-completions parameter: they are reported as
 * warnings, not sent.
 */
export function openaiRequestOptions(
  profile: OpenAIOptions,
  sampling: SamplingOptions,
  backend: string,
): OpenAIRequestOptions {
  const params: OpenAIOptions = { ...profile };
  if (sampling.temperature !== undefined) params.temperature = sampling.temperature;
  if (sampling.topP !== undefined) params.top_p = sampling.topP;
  if (sampling.seed !== undefined) params.seed = sampling.seed;
  if (sampling.maxTokens !== undefined) params.max_tokens = sampling.maxTokens;
  return { params, warnings: unsupportedSamplingWarnings(sampling, SUPPORTED, backend) };
}
