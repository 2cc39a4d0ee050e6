import { tmpdir } from 'node:os';
import { ConfabError, createSilentLogger } from '@confab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiBackendConfigSchema } from '../src/config.js';
import { OpenAIBackend } from '../src/openai-backend.js';

const instance = {
  name: 'openai',
  kind: 'backend',
  specifier: '@confab/backend-openai',
  configDir: tmpdir(),
} as const;
const saved = process.env.OPENAI_BASE_URL;

afterEach(() => {
  if (saved === undefined) delete process.env.OPENAI_BASE_URL;
  else process.env.OPENAI_BASE_URL = saved;
});

describe('OpenAIBackend without a server URL', () => {
  it('says which profile has none and how to give one', () => {
    delete process.env.OPENAI_BASE_URL;
    const config = openaiBackendConfigSchema.parse({ profiles: { small: { model: 'm' } } });
    const create = () => new OpenAIBackend(config, instance, createSilentLogger());
    expect(create).toThrow(ConfabError);
    expect(create).toThrow(
      "backend 'openai' profile 'small': no server URL; set baseURL (e.g. http://127.0.0.1:11434/v1) on the backend or the profile, or OPENAI_BASE_URL",
    );
  });

  it('takes OPENAI_BASE_URL from the environment', () => {
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:8000/v1';
    const config = openaiBackendConfigSchema.parse({ profiles: { small: { model: 'm', parallel: 3 } } });
    const backend = new OpenAIBackend(config, instance, createSilentLogger());
    expect(backend.profiles()).toEqual(['small']);
    expect(backend.capacity('small')).toEqual({ workers: 1, parallel: 3, contextTokens: 4096 });
  });
});
