import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { finishedReplies, llamaBot } from './llama-bot.js';
import { generatedModels } from './models.js';

let models: Awaited<ReturnType<typeof generatedModels>>;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  models = await generatedModels();
});

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

afterAll(async () => {
  await models?.cleanup();
});

describe.each(['inline', 'process'] as const)('a mate on a structured model (%s worker)', (mode) => {
  it('answers exactly "OK." through the whole bot', async () => {
    const { bot, transport, backend } = llamaBot({
      profiles: { default: { model: models.structured, mode, contextSize: 1024, sequences: 2, gpu: 'off' } },
    });
    stops.push(() => bot.stop());
    const replies = finishedReplies(bot);
    const inputTokens: number[] = [];
    bot.events.on('job.finished', (event) => inputTokens.push(event.usage.inputTokens));
    await bot.start();
    expect(backend.workersAlive('default')).toBe(1);
    await transport.inject({ text: '@ada hello there' });
    await transport.waitFor(() => replies.length === 1, 15_000);
    expect(replies[0]!.text).toBe('OK.');
    expect(transport.botMessages().map((message) => message.text)).toEqual(['OK.']);
    // The system prompt and the message reached the model (one token per character here).
    expect(inputTokens[0]).toBeGreaterThan('You are Ada.hello there'.length);
    await transport.inject({ text: '@ada and once more' });
    await transport.waitFor(() => replies.length === 2, 15_000);
    expect(replies[1]!.text).toBe('OK.');
    // The second prompt holds the first exchange too: ChatML, one token per character.
    expect(inputTokens[1]! - inputTokens[0]!).toBeGreaterThan('OK.and once more'.length);
  });
});
