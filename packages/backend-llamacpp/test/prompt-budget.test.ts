import type { BackendMessage } from '@confab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendFor } from './backend-for.js';
import { generatedModels } from './models.js';
import { collect, request } from './request.js';

let models: Awaited<ReturnType<typeof generatedModels>>;

beforeAll(async () => {
  models = await generatedModels();
});

afterAll(async () => {
  await models?.cleanup();
});

const history: BackendMessage[] = [
  { role: 'user', content: 'the first question, long enough to matter' },
  { role: 'assistant', content: 'a first answer' },
  { role: 'user', content: 'a second question' },
  { role: 'assistant', content: 'a second answer' },
  { role: 'user', content: 'and the last one' },
];

describe.each(['inline', 'process'] as const)('the prompt budget (%s worker)', (mode) => {
  it('drops the oldest messages until the prompt fits maxPromptTokens, by the model tokenizer', async () => {
    // Random weights: the reply depends on the whole prompt, so it shows what the model read.
    const backend = backendFor({
      default: {
        model: models.random,
        mode,
        contextSize: 1024,
        sequences: 1,
        gpu: 'off',
        sampling: { maxTokens: 8, ignoreEos: true },
      },
    });
    await backend.start();
    try {
      const ask = async (messages: readonly BackendMessage[], maxPromptTokens = 100_000) => {
        const { text, last } = await collect(backend.generate(request('', { messages, maxPromptTokens })));
        if (last.type !== 'finish') throw new Error(`no finish: ${JSON.stringify(last)}`);
        return { text, inputTokens: last.usage.inputTokens };
      };
      // Each suffix of the history with nothing trimmed: its reply and its prompt's tokens.
      const suffixes = [];
      for (let start = 0; start < history.length; start++) suffixes.push(await ask(history.slice(start)));
      const tokens = suffixes.map((suffix) => suffix.inputTokens);
      expect(tokens).toEqual([...tokens].sort((a, b) => b - a));
      expect(new Set(tokens).size).toBe(history.length);

      // One token short of the prompt from message 2 on: messages 3 and 4 are what fits.
      const trimmed = await ask(history, tokens[2]! - 1);
      expect(trimmed).toEqual(suffixes[3]);
      expect(trimmed.text).not.toBe(suffixes[0]!.text);
      // A budget the whole prompt meets exactly: nothing is dropped.
      expect(await ask(history, tokens[0]!)).toEqual(suffixes[0]);
      // Too small for anything: the last message still goes, alone.
      expect(await ask(history, 1)).toEqual(suffixes[4]);
    } finally {
      await backend.stop();
    }
  });
});
