import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlamaCppBackend } from '../src/llamacpp-backend.js';
import { backendFor } from './backend-for.js';
import { generatedModels } from './models.js';

let models: Awaited<ReturnType<typeof generatedModels>>;
let backend: LlamaCppBackend;

beforeAll(async () => {
  models = await generatedModels();
  backend = backendFor({
    default: { model: models.structured, mode: 'inline', contextSize: 256, sequences: 4, gpu: 'off' },
    random: { model: models.random, mode: 'inline', contextSize: 256, sequences: 4, gpu: 'off' },
  });
  await backend.start();
});

afterAll(async () => {
  await backend?.stop();
  await models?.cleanup();
});

describe('the session API', () => {
  it('adds text, generates N tokens, reads the whole text, resets', async () => {
    const result = await backend.sessions('default').withSession(async (session) => {
      await session.add('count 7');
      expect(await session.generate(3)).toBe('654');
      expect(await session.text()).toBe('count 7654');
      // The structured model counts down to 0 and then ends: fewer tokens than asked.
      expect(await session.generate(10)).toBe('3210');
      await session.reset();
      expect(await session.text()).toBe('');
      await session.add('5');
      expect(await session.generate(2)).toBe('43');
      await session.add(' then 9');
      expect(await session.generate(4)).toBe('8765');
      return session.text();
    });
    expect(result).toBe('543 then 98765');
  });

  it('batches concurrent sessions and gives each the same text as alone', async () => {
    const prompts = ['one', 'two', 'three', 'four', 'five', 'six'];
    const run = (prompt: string) =>
      backend.sessions('random').withSession(async (session) => {
        await session.add(prompt);
        await session.generate(6);
        await session.add('!');
        await session.generate(6);
        return session.text();
      });
    const alone: string[] = [];
    for (const prompt of prompts) alone.push(await run(prompt));
    // Six sessions on four sequences: two wait for a free sequence, all finish.
    const together = await Promise.all(prompts.map(run));
    expect(together).toEqual(alone);
    expect(new Set(alone).size).toBe(prompts.length);
  });

  it('frees the sequence when the callback throws', async () => {
    await expect(
      backend.sessions('default').withSession(async () => {
        throw new Error('plugin bug');
      }),
    ).rejects.toThrow('plugin bug');
    const texts = await Promise.all(
      ['1', '2', '3', '4'].map((digit) =>
        backend.sessions('default').withSession(async (session) => {
          await session.add(digit);
          return session.generate(5);
        }),
      ),
    );
    expect(texts).toEqual(['0', '10', '210', '3210']);
  });
});
