import { ConfabError, EventBus } from '@confab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaCppBackend } from '../src/llamacpp-backend.js';
import { llamaCppConfigSchema } from '../src/config.js';
import { collect, request } from './request.js';
import { generatedModels } from './models.js';
import { silentLogger, backendFor } from './backend-for.js';

let models: Awaited<ReturnType<typeof generatedModels>>;

beforeAll(async () => {
  models = await generatedModels();
});

afterAll(async () => {
  await models?.cleanup();
});

describe('generation on one inline worker', () => {
  it('streams deltas, finishes with usage, and honours maxTokens and ignoreEos', async () => {
    const backend = backendFor({
      default: { model: models.structured, mode: 'inline', contextSize: 1024, sequences: 2, gpu: 'off' },
    });
    await backend.start();
    try {
      const parts = [];
      for await (const part of backend.generate(request('hi'))) parts.push(part);
      expect(parts[0]).toEqual({ type: 'stream-start', warnings: [] });
      expect(
        parts
          .filter((part) => part.type === 'text-delta')
          .map((part) => part.text)
          .join(''),
      ).toBe('OK.');
      expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'stop', usage: { outputTokens: 3 } });

      const capped = await collect(backend.generate(request('hi', { sampling: { maxTokens: 2 } })));
      expect(capped.text).toBe('OK');
      expect(capped.last).toMatchObject({ type: 'finish', reason: 'length', usage: { outputTokens: 2 } });
    } finally {
      await backend.stop();
    }

    const endless = backendFor({
      default: {
        model: models.structured,
        mode: 'inline',
        contextSize: 1024,
        gpu: 'off',
        sampling: { maxTokens: 9, ignoreEos: true },
      },
    });
    await endless.start();
    try {
      const { text, last } = await collect(endless.generate(request('hi')));
      // "OK." would end here; with the end banned the model must go on to exactly 9 tokens.
      expect(text.startsWith('OK.')).toBe(true);
      expect(text.length).toBeGreaterThan(3);
      expect(last).toMatchObject({ type: 'finish', reason: 'length', usage: { outputTokens: 9 } });
    } finally {
      await endless.stop();
    }
  });

  it('cancels at once and frees the sequence for the next conversation', async () => {
    const backend = backendFor({
      default: {
        model: models.random,
        mode: 'inline',
        contextSize: 1024,
        sequences: 1,
        gpu: 'off',
        sampling: { maxTokens: 900, ignoreEos: true },
      },
    });
    await backend.start();
    try {
      const controller = new AbortController();
      let deltas = 0;
      let last: unknown;
      for await (const part of backend.generate(request('go on forever', { signal: controller.signal }))) {
        if (part.type === 'text-delta' && ++deltas === 3) controller.abort();
        last = part;
      }
      expect(last).toMatchObject({ type: 'finish', reason: 'aborted' });
      expect(deltas).toBeLessThan(900);
      // One sequence only: this runs only because the aborted job gave it back.
      const next = await collect(backend.generate(request('hello', { sampling: { maxTokens: 5 } })));
      expect(next.last).toMatchObject({ type: 'finish', reason: 'length', usage: { outputTokens: 5 } });
    } finally {
      await backend.stop();
    }
  });
});

describe('model load failures', () => {
  it.each([
    ['missing', 'model file .*missing\\.gguf not found; set backends\\[0\\]\\.profiles\\.default\\.model'],
    ['not-gguf', 'is not a GGUF model file; set backends\\[0\\]\\.profiles\\.default\\.model'],
  ])('%s model: a ConfabError at start naming profile, file and config path', async (kind, pattern) => {
    const { writeFile } = await import('node:fs/promises');
    const path = `${models.dir}/${kind === 'missing' ? 'missing.gguf' : 'notes.txt'}`;
    if (kind === 'not-gguf') await writeFile(path, 'just some text, not a model\n');
    for (const mode of ['inline', 'process'] as const) {
      const backend = backendFor({ default: { model: path, mode, gpu: 'off' } });
      const error = await backend.start().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(ConfabError);
      expect((error as Error).message).toMatch(/^backend 'local' profile 'default': /);
      expect((error as Error).message).toMatch(new RegExp(pattern));
      expect((error as Error).message).toContain(path);
      expect(backend.workersAlive('default')).toBe(0);
    }
  });
});

describe('config', () => {
  it('rejects unknown keys and bad values with their paths', () => {
    const result = llamaCppConfigSchema.safeParse({
      profiles: { default: { model: 'x.gguf', gpu: 'tpu', tmperature: 1 } },
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(issues).toContain('profiles.default.gpu');
    expect(issues).toContain('profiles.default');
  });

  it('reports capacity from the profile', () => {
    const backend = new LlamaCppBackend(
      { name: 'local', kind: 'backend', specifier: '@confab/backend-llamacpp', configDir: '/' },
      llamaCppConfigSchema.parse({
        profiles: { default: { model: 'x.gguf', workers: 2, sequences: 6, contextSize: 2048 } },
      }),
      new EventBus(),
      silentLogger,
    );
    expect(backend.capacity('default')).toEqual({ workers: 2, parallel: 6, contextTokens: 2048 });
  });
});
