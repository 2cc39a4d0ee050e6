import { describe, expect, it } from 'vitest';
import { llamaCppConfigSchema } from '../src/config.js';
import { checkConfig } from '../src/config-check.js';
import { defaultThreads } from '../src/threads.js';

const parse = (profile: Record<string, unknown>) =>
  llamaCppConfigSchema.parse({ profiles: { small: { model: 'hf:someone/model:Q4_K_M', ...profile } } });

describe('checkConfig', () => {
  it('passes a plain profile without warnings', () => {
    expect(checkConfig(parse({}), '/', 'linux', 8)).toEqual([]);
  });

  it('warns about options that would silently do nothing, with their paths', () => {
    const warnings = checkConfig(
      parse({
        gpu: 'metal',
        sampling: { seed: 3, topK: 20 },
        threads: 8,
        workers: 2,
      }),
      '/',
      'linux',
      4,
    );
    expect(warnings.map((warning) => warning.path)).toEqual([
      'profiles.small.sampling.seed',
      'profiles.small.sampling',
      'profiles.small.gpu',
      'profiles.small.threads',
    ]);
    expect(warnings[3]!.message).toContain("exceed this machine's 4 cores");
    expect(checkConfig(parse({ gpu: 'off', gpuLayers: 10 }), '/', 'linux', 4)).toEqual([
      { path: 'profiles.small.gpuLayers', message: 'is ignored with gpu: off' },
    ]);
  });

  it('warns about a local model file that does not exist, resolved against the config directory', () => {
    const config = llamaCppConfigSchema.parse({ profiles: { local: { model: 'models/absent.gguf' } } });
    expect(checkConfig(config, '/srv/bot', 'linux', 4)).toEqual([
      {
        path: 'profiles.local.model',
        message: 'file /srv/bot/models/absent.gguf not found; the bot will not start until it exists',
      },
    ]);
  });
});

describe('defaultThreads', () => {
  it('uses half the cores split among workers, at least one (never the library default)', () => {
    expect(defaultThreads(1, 2)).toBe(1);
    expect(defaultThreads(1, 16)).toBe(8);
    expect(defaultThreads(2, 16)).toBe(4);
    expect(defaultThreads(8, 4)).toBe(1);
  });
});
