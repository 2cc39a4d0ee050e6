import { describe, expect, it } from 'vitest';
import { unsupportedSamplingWarnings } from '../src/sampling-support.js';

describe('unsupportedSamplingWarnings', () => {
  it('names each set option the backend cannot map, and only those', () => {
    expect(
      unsupportedSamplingWarnings(
        { temperature: 0.2, topK: 40, minP: undefined, seed: 1 },
        ['temperature', 'seed'],
        "openai 'vllm'",
      ),
    ).toEqual(["openai 'vllm': sampling option 'topK' is not supported and was ignored"]);
  });
});
