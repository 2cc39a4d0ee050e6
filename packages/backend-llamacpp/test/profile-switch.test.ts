import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedReplies, llamaBot } from './llama-bot.js';
import { generatedModels } from './models.js';

let models: Awaited<ReturnType<typeof generatedModels>>;

beforeAll(async () => {
  models = await generatedModels();
});

afterAll(async () => {
  await models?.cleanup();
});

describe('!profile', () => {
  it('switches a mate between the allowed profiles of this backend', async () => {
    const { bot, transport, backend } = llamaBot(
      {
        profiles: {
          default: { model: models.structured, mode: 'inline', contextSize: 1024, gpu: 'off' },
          gibberish: {
            model: models.random,
            mode: 'inline',
            contextSize: 1024,
            gpu: 'off',
            sampling: { maxTokens: 8, ignoreEos: true },
          },
        },
      },
      {
        mates: [
          {
            name: 'ada',
            backend: 'local',
            profile: 'default',
            profiles: ['gibberish'],
            system: 'You are Ada.',
          },
        ],
      },
    );
    const replies = finishedReplies(bot);
    await bot.start();
    try {
      expect(backend.profiles()).toEqual(['default', 'gibberish']);
      await transport.inject({ text: '@ada hello' });
      await transport.waitFor(() => replies.length === 1, 15_000);
      expect(replies[0]!.text).toBe('OK.');

      await transport.inject({ text: '!profile gibberish ada' });
      await transport.waitFor(() =>
        transport.botMessages().some((m) => m.text.includes('now uses profile gibberish')),
      );
      await transport.inject({ text: '@ada hello' });
      await transport.waitFor(() => replies.length === 2, 15_000);
      expect(replies[1]!.text).not.toBe('OK.');
      expect(replies[1]!.text.length).toBeGreaterThan(0);

      await transport.inject({ text: '!profile default ada' });
      await transport.waitFor(() =>
        transport.botMessages().some((m) => m.text.includes('now uses profile default')),
      );
      await transport.inject({ text: '@ada hello again' });
      await transport.waitFor(() => replies.length === 3, 15_000);
      expect(replies[2]!.text).toBe('OK.');
    } finally {
      await bot.stop();
    }
  });
});
