import { EventBus, failureNotice } from '@confab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendFor } from './backend-for.js';
import { llamaBot } from './llama-bot.js';
import { generatedModels } from './models.js';
import { collect, request } from './request.js';
import { ProcessWorker } from '../src/worker/process-worker.js';

let models: Awaited<ReturnType<typeof generatedModels>>;

beforeAll(async () => {
  models = await generatedModels();
});

afterAll(async () => {
  await models?.cleanup();
});

function nextEvent<K extends 'worker.started' | 'worker.died'>(events: EventBus, type: K) {
  return new Promise<{ worker: string; alive: number }>((resolve) => {
    const off = events.on(type, (event) => {
      off();
      resolve(event);
    });
  });
}

describe('worker processes are supervised', () => {
  it('kill -9 mid-reply: the job fails clearly, the worker is replaced and serves again', async () => {
    const events = new EventBus();
    const started: string[] = [];
    events.on('worker.started', (event) => started.push(event.worker));
    const backend = backendFor(
      {
        default: {
          model: models.structured,
          contextSize: 1024,
          sequences: 1,
          gpu: 'off',
          sampling: { maxTokens: 800, ignoreEos: true },
        },
      },
      events,
    );
    await backend.start();
    try {
      expect(started).toEqual(['local/default#1']);
      const [pid] = backend.workerPids('default');
      expect(pid).toBeGreaterThan(0);
      const died = nextEvent(events, 'worker.died');
      const replaced = nextEvent(events, 'worker.started');
      let text = '';
      let last: unknown;
      for await (const part of backend.generate(request('hi'))) {
        if (part.type === 'text-delta') {
          if (text === '') process.kill(pid!, 'SIGKILL');
          text += part.text;
        }
        last = part;
      }
      // Text already reached the user, so no silent retry: a clear error part instead. A crash
      // is not a server that is away: the replacement is already starting.
      expect(last).toMatchObject({
        type: 'error',
        error: {
          kind: 'crashed',
          message: expect.stringMatching(
            /^backend 'local' profile 'default': the model worker crashed while answering \(.*SIGKILL.*\); a new worker is starting in its place$/,
          ),
        },
      });
      expect(await died).toMatchObject({ worker: 'local/default#1', alive: 0 });
      expect(await replaced).toMatchObject({ worker: 'local/default#2', alive: 1 });
      expect(backend.workersAlive('default')).toBe(1);
      expect(backend.workerPids('default')[0]).not.toBe(pid);
      const after = await collect(backend.generate(request('hi', { sampling: { maxTokens: 3 } })));
      expect(after.text).toBe('OK.');
    } finally {
      await backend.stop();
    }
  });

  it('kill -9 mid-reply through the bot: the person is told the model stopped, and to try again', async () => {
    const { bot, transport, backend } = llamaBot({
      profiles: {
        default: {
          model: models.random,
          mode: 'process',
          contextSize: 2048,
          sequences: 1,
          gpu: 'off',
          sampling: { maxTokens: 2000, ignoreEos: true },
        },
      },
    });
    await bot.start();
    try {
      const [pid] = backend.workerPids('default');
      let killed = false;
      void transport.inject({ text: '@ada talk', roomId: 'dm', isDirect: true });
      // Checked on every send and edit: the worker dies as soon as the first words are out.
      await transport.waitFor(() => {
        if (!killed && transport.botMessages('dm').some((m) => m.text.length > 0)) {
          process.kill(pid!, 'SIGKILL');
          killed = true;
        }
        return killed;
      }, 15_000);
      // The words already sent stay; the notice follows as a message of its own.
      const [, notice] = await transport.waitForBotMessages(2, 'dm', 15_000);
      expect(notice?.text).toBe(failureNotice('crashed'));
      expect(notice?.text).toMatch(/stopped.*try again/i);
    } finally {
      await bot.stop();
    }
  }, 60_000);

  it('kill -9 before any output: the job is retried once on the replacement', async () => {
    const events = new EventBus();
    const backend = backendFor(
      { default: { model: models.structured, contextSize: 1024, sequences: 1, gpu: 'off' } },
      events,
    );
    await backend.start();
    try {
      const [pid] = backend.workerPids('default');
      const died = nextEvent(events, 'worker.died');
      const parts = backend.generate(request('hi'));
      // Synchronously after submitting: the worker cannot have answered anything yet.
      process.kill(pid!, 'SIGKILL');
      const { text, last } = await collect(parts);
      await died;
      expect(text).toBe('OK.');
      expect(last).toMatchObject({ type: 'finish', reason: 'stop' });
      expect(backend.workersAlive('default')).toBe(1);
    } finally {
      await backend.stop();
    }
  });

  it('a worker killed while loading (the OOM killer) is reported as a model too large', async () => {
    const worker = new ProcessWorker('local/default#1', {
      modelPath: models.structured,
      contextSize: 256,
      sequences: 1,
      gpu: 'off',
      gpuLayers: 0,
      threads: 1,
    });
    const loading = worker.start();
    process.kill(worker.pid!, 'SIGKILL');
    await expect(loading).rejects.toMatchObject({
      code: 'model.too-large',
      message: 'worker process killed by SIGKILL while loading (out of memory?)',
    });
  });
});
