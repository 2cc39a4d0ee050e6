import { describe, expect, it } from 'vitest';
import { ollamaBackendConfigSchema } from '../src/config.js';
import { ollamaRequestOptions } from '../src/request-options.js';

describe('ollamaRequestOptions', () => {
  it("maps every confab sampling option to Ollama's name, the mate's value winning over the profile's", () => {
    const { options, keepAlive } = ollamaRequestOptions(
      { temperature: 0.7, num_ctx: 1024, top_k: 50, keep_alive: '10m' },
      { temperature: 0, topK: 1, topP: 0.9, minP: 0.05, repeatPenalty: 1.1, seed: 7, maxTokens: 32 },
    );
    expect(options).toEqual({
      temperature: 0,
      num_ctx: 1024,
      top_k: 1,
      top_p: 0.9,
      min_p: 0.05,
      repeat_penalty: 1.1,
      seed: 7,
      num_predict: 32,
    });
    expect(keepAlive).toBe('10m');
  });

  it('keeps the profile options when the mate sets none, and sends no keep_alive unless set', () => {
    expect(ollamaRequestOptions({ num_predict: 5 }, {})).toEqual({ options: { num_predict: 5 } });
  });
});

describe('ollamaBackendConfigSchema', () => {
  it('fills the defaults', () => {
    const config = ollamaBackendConfigSchema.parse({ profiles: { small: { model: 'qwen2.5:0.5b' } } });
    expect(config).toEqual({
      host: 'http://127.0.0.1:11434',
      pull: false,
      retry: { initialDelayMs: 500, maxDelayMs: 30_000 },
      profiles: { small: { model: 'qwen2.5:0.5b', options: {}, parallel: 1 } },
    });
  });

  it('rejects unknown options and bad hosts with the path', () => {
    const result = ollamaBackendConfigSchema.safeParse({
      host: 'localhost:11434',
      profiles: { small: { model: 'x', options: { temprature: 1 } } },
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['host', 'profiles.small.options']));
  });
});
