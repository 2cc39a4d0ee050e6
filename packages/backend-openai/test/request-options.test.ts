import { describe, expect, it } from 'vitest';
import { openaiBackendConfigSchema } from '../src/config.js';
import { openaiRequestOptions } from '../src/request-options.js';

describe('openaiRequestOptions', () => {
  it("maps sampling to chat-completions parameters, the mate's value winning, and warns about the rest", () => {
    const { params, warnings } = openaiRequestOptions(
      { temperature: 0.7, max_tokens: 100, presence_penalty: 0.5 },
      { temperature: 0, topP: 0.9, seed: 3, maxTokens: 8, topK: 40, minP: 0.1, repeatPenalty: 1.1 },
      "openai 'vllm'",
    );
    expect(params).toEqual({ temperature: 0, max_tokens: 8, presence_penalty: 0.5, top_p: 0.9, seed: 3 });
    expect(warnings).toEqual([
      "openai 'vllm': sampling option 'topK' is not supported and was ignored",
      "openai 'vllm': sampling option 'minP' is not supported and was ignored",
      "openai 'vllm': sampling option 'repeatPenalty' is not supported and was ignored",
    ]);
  });
});

describe('openaiBackendConfigSchema', () => {
  it('fills the defaults and rejects unknown keys', () => {
    expect(
      openaiBackendConfigSchema.parse({
        baseURL: 'http://127.0.0.1:8000/v1',
        profiles: { a: { model: 'm' } },
      }),
    ).toEqual({
      baseURL: 'http://127.0.0.1:8000/v1',
      checkModels: true,
      retry: { initialDelayMs: 500, maxDelayMs: 30_000 },
      profiles: { a: { model: 'm', options: {}, parallel: 1, contextTokens: 4096 } },
    });
    const result = openaiBackendConfigSchema.safeParse({
      baseUrl: 'x',
      profiles: { a: { model: 'm', options: { top_k: 1 } } },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(
      expect.arrayContaining(['', 'profiles.a.options']),
    );
  });
});
