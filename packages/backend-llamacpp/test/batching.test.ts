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

const prompts = Array.from({ length: 8 }, (_, i) => `@ada tell me about thing number ${i}`);

/** Runs the prompts through a fresh bot, all at once or one by one; returns replies and the peak of jobs running together. */
async function replies(concurrent: boolean): Promise<{ texts: string[]; peak: number }> {
  const { bot, transport } = llamaBot(
    {
      profiles: {
        default: {
          model: models.random,
          contextSize: 1024,
          sequences: 8,
          gpu: 'off',
          sampling: { maxTokens: 12, ignoreEos: true },
        },
      },
    },
    // Concurrent: the scheduler holds the jobs until all 8 wait, so they surely run as one batch.
    concurrent ? { scheduler: { batching: { minJobs: 8, maxWaitMs: 60_000 } } } : {},
  );
  const done = finishedReplies(bot);
  let peak = 0;
  bot.events.on('job.started', () => {
    peak = Math.max(peak, bot.scheduler.stats()[0]?.running ?? 0);
  });
  await bot.start();
  try {
    if (concurrent) {
      await Promise.all(
        prompts.map((text, i) => transport.inject({ text, roomId: `room-${i}`, from: `u:${i}` })),
      );
      await transport.waitFor(() => done.length === 8, 60_000);
    } else {
      for (const [i, text] of prompts.entries()) {
        await transport.inject({ text, roomId: `room-${i}`, from: `u:${i}` });
        await transport.waitFor(() => done.length === i + 1, 30_000);
      }
    }
    return {
      texts: prompts.map((_, i) => transport.botMessages(`room-${i}`).at(-1)?.text ?? '(none)'),
      peak,
    };
  } finally {
    await bot.stop();
  }
}

describe('8 conversations on one worker with 8 sequences', () => {
  it('give the same replies batched together as one after another', async () => {
    const together = await replies(true);
    const oneByOne = await replies(false);
    expect(together.peak).toBe(8);
    expect(oneByOne.peak).toBe(1);
    expect(together.texts).toEqual(oneByOne.texts);
    // Random weights: different prompts give different replies, else the comparison proves nothing.
    expect(new Set(together.texts).size).toBeGreaterThan(4);
  });
});
