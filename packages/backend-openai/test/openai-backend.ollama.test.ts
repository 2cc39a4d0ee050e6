import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BackendMessage,
  ConfabError,
  createLogger,
  estimateTokens,
  type Logger,
  type StreamPart,
} from '@confab/core';
import {
  chatRequest as request,
  closedPort,
  collectParts as collect,
  partsText as text,
} from '@confab/testkit';
import {
  type OllamaServer,
  ollamaPeerAvailable,
  startOllama,
  startTcpRecorder,
} from '@confab/testkit/ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiBackendConfigSchema } from '../src/config.js';
import { OpenAIBackend } from '../src/openai-backend.js';

const STRUCTURED = 'confab-structured';
const RANDOM = 'confab-random';
const SECRET = 'sk-confab-test-secret-never-logged';

/** A real pino logger writing into memory, to see what would be logged. */
function memoryLogger(): { logger: Logger; output: () => string } {
  let output = '';
  const logger = createLogger({
    level: 'trace',
    destination: { write: (line: string) => (output += line) },
  });
  return { logger, output: () => output };
}

function makeBackend(baseURL: string, logger: Logger, extra: Record<string, unknown> = {}): OpenAIBackend {
  const config = openaiBackendConfigSchema.parse({
    baseURL,
    apiKey: SECRET,
    retry: { initialDelayMs: 50, maxDelayMs: 200 },
    profiles: {
      exact: { model: `${STRUCTURED}:latest`, parallel: 2, options: { temperature: 0, max_tokens: 16 } },
      long: { model: `${RANDOM}:latest`, options: { temperature: 0, max_tokens: 100_000 } },
    },
    ...extra,
  });
  return new OpenAIBackend(
    config,
    { name: 'openai', kind: 'backend', specifier: '@confab/backend-openai', configDir: tmpdir() },
    logger,
  );
}

describe.skipIf(!ollamaPeerAvailable())("OpenAIBackend against a real Ollama's /v1", () => {
  let server: OllamaServer;

  beforeAll(async () => {
    server = await startOllama({ numParallel: 2 });
    await server.createTinyModel(STRUCTURED, 'structured');
    await server.createTinyModel(RANDOM, 'random');
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('streams the exact reply of a structured model, in parallel, without logging the key', async () => {
    const { logger, output } = memoryLogger();
    const backend = makeBackend(`${server.host}/v1`, logger);
    await backend.start();
    expect(backend.capacity('exact')).toEqual({ workers: 1, parallel: 2, contextTokens: 4096 });
    const history: BackendMessage[] = [
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: '4' },
      { role: 'user', content: 'And 3+3?' },
    ];
    const replies = await Promise.all([
      collect(backend.generate(request('exact', [{ role: 'user', content: 'Hi' }]))),
      collect(backend.generate(request('exact', history, { system: 'You are terse.' }))),
      collect(
        backend.generate(request('exact', [{ role: 'user', content: 'Yo' }], { sampling: { topK: 3 } })),
      ),
    ]);
    expect(replies.map(text)).toEqual(['OK.', 'OK.', 'OK.']);
    for (const parts of replies) {
      expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
      expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    }
    expect(replies[2]?.[0]).toEqual({
      type: 'stream-start',
      warnings: ["openai 'openai': sampling option 'topK' is not supported and was ignored"],
    });
    const usage = (parts: StreamPart[] = []) => {
      const last = parts.at(-1);
      if (last?.type !== 'finish') throw new Error(`no finish part: ${JSON.stringify(last)}`);
      return last.usage;
    };
    expect(usage(replies[1]).inputTokens).toBeGreaterThan(usage(replies[0]).inputTokens + 20);
    await backend.stop();
    expect(output()).toContain('server answers');
    expect(output()).not.toContain(SECRET);
  });

  it('drops the oldest messages to meet maxPromptTokens by estimate; usage is the server count', async () => {
    const backend = makeBackend(`${server.host}/v1`, memoryLogger().logger);
    await backend.start();
    const system = 'You are terse.';
    const history: BackendMessage[] = [
      { role: 'user', content: 'What is 2+2? Please explain it at some length.' },
      { role: 'assistant', content: '4' },
      { role: 'user', content: 'And 3+3?' },
      { role: 'assistant', content: '6' },
      { role: 'user', content: 'And 4+4?' },
    ];
    const kept = history.slice(2);
    const inputOf = async (messages: readonly BackendMessage[], maxPromptTokens?: number) => {
      const parts = await collect(backend.generate(request('exact', messages, { system, maxPromptTokens })));
      const last = parts.at(-1);
      if (last?.type !== 'finish') throw new Error(`no finish part: ${JSON.stringify(last)}`);
      return last.usage.inputTokens;
    };
    // The budget fits the last three messages by estimate, not the last four.
    const budget = estimateTokens(system, kept);
    expect(estimateTokens(system, history.slice(1))).toBeGreaterThan(budget);
    const trimmed = await inputOf(history, budget);
    expect(trimmed).toBe(await inputOf(kept));
    expect(await inputOf(history)).toBeGreaterThan(trimmed);
    await backend.stop();
  });

  it('maxTokens ends a reply as length', async () => {
    const backend = makeBackend(`${server.host}/v1`, memoryLogger().logger);
    await backend.start();
    const parts = await collect(
      backend.generate(request('long', [{ role: 'user', content: 'go' }], { sampling: { maxTokens: 5 } })),
    );
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'length', usage: { outputTokens: 5 } });
    await backend.stop();
  });

  it('cancelling aborts the HTTP stream: the client closes the connection, and the server is free again', async () => {
    const solo = await startOllama({ numParallel: 1, modelsDir: server.modelsDir });
    // The relay lets the reply through up to its first tokens and holds the rest back, so the
    // reply cannot end by itself, however fast the server is: only cancelling can end it.
    const recorder = await startTcpRecorder(solo.port, { hold: { marker: '\n\n', count: 3 } });
    try {
      const backend = makeBackend(`${recorder.url}/v1`, memoryLogger().logger);
      await backend.start();
      const controller = new AbortController();
      const parts: StreamPart[] = [];
      for await (const part of backend.generate(
        request('long', [{ role: 'user', content: 'talk' }], { signal: controller.signal }),
      )) {
        parts.push(part);
        if (part.type === 'text-delta') controller.abort();
      }
      expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'aborted' });
      const chat = recorder.connections.find((connection) =>
        connection.sent().includes('POST /v1/chat/completions'),
      );
      expect(chat).toBeDefined();
      await chat?.closed;
      expect(chat?.closedBy()).toBe('client');
      await backend.stop();

      // With one sequence, a reply still generating for the closed connection would block this one.
      const direct = makeBackend(`${solo.host}/v1`, memoryLogger().logger);
      await direct.start();
      const next = await collect(
        direct.generate(
          request('long', [{ role: 'user', content: 'again' }], { sampling: { maxTokens: 4 } }),
        ),
      );
      expect(next.at(-1)).toMatchObject({ type: 'finish', reason: 'length' });
      await direct.stop();
    } finally {
      await recorder.close();
      await solo.stop();
    }
  });

  it('names a missing model and the fix at start', async () => {
    const backend = makeBackend(`${server.host}/v1`, memoryLogger().logger, {
      profiles: { small: { model: 'no-such-model' } },
    });
    const error = await backend.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfabError);
    expect((error as ConfabError).code).toBe('backend.model-missing');
    expect((error as Error).message).toMatch(
      /^backend 'openai' profile 'small': the server at http:\/\/127\.0\.0\.1:\d+\/v1 has no model 'no-such-model' \(it lists: .*confab-structured:latest.*\); load the model there or set the profile's model to one it lists$/,
    );
  });

  it('says clearly when no server answers at start, without the key', async () => {
    const port = await closedPort();
    const backend = makeBackend(`http://127.0.0.1:${port}/v1`, memoryLogger().logger);
    const error = await backend.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfabError);
    expect((error as Error).message).toBe(
      `backend 'openai': no server answers at http://127.0.0.1:${port}/v1 (Connection error. (ECONNREFUSED)); start it or set baseURL`,
    );
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('a server killed mid-reply ends the stream with an error part; the backend recovers when it is back', async () => {
    const own = await startOllama({ numParallel: 1, modelsDir: server.modelsDir });
    // The long reply is held back after its first tokens, so it is surely unfinished when the
    // server is killed, however fast the server is.
    const recorder = await startTcpRecorder(own.port, {
      hold: { when: '"content":"talk"', marker: '\n\n', count: 3 },
    });
    try {
      const { logger, output } = memoryLogger();
      const backend = makeBackend(`${recorder.url}/v1`, logger);
      await backend.start();
      const parts: StreamPart[] = [];
      for await (const part of backend.generate(request('long', [{ role: 'user', content: 'talk' }]))) {
        parts.push(part);
        if (part.type === 'text-delta' && own.running) await own.kill();
      }
      expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
      expect(parts.at(-1)).toMatchObject({ type: 'error', error: { kind: 'unavailable' } });
      const down = await collect(backend.generate(request('exact', [{ role: 'user', content: 'hello' }])));
      expect(down).toMatchObject([{ type: 'error', error: { kind: 'unavailable' } }]);

      await own.restart();
      const deadline = Date.now() + 60_000;
      let back: StreamPart[] = [];
      while (Date.now() < deadline) {
        back = await collect(backend.generate(request('exact', [{ role: 'user', content: 'hello' }])));
        if (back.at(-1)?.type === 'finish') break;
        await sleep(100);
      }
      expect(text(back)).toBe('OK.');
      await backend.stop();
      expect(output()).toContain('model server unavailable; retrying with backoff');
      expect(output()).toContain('model server is back');
      expect(output()).not.toContain(SECRET);
    } finally {
      await recorder.close();
      await own.stop();
    }
  });
});
