import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BackendMessage,
  ConfabError,
  createLogger,
  createSilentLogger,
  estimateTokens,
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
import { ollamaBackendConfigSchema } from '../src/config.js';
import { OllamaBackend } from '../src/ollama-backend.js';

const STRUCTURED = 'confab-structured';
const RANDOM = 'confab-random';

function makeBackend(host: string, extra: Record<string, unknown> = {}): OllamaBackend {
  const config = ollamaBackendConfigSchema.parse({
    host,
    retry: { initialDelayMs: 50, maxDelayMs: 200 },
    profiles: {
      exact: { model: STRUCTURED, parallel: 2, options: { temperature: 0, num_predict: 16, num_thread: 1 } },
      // Greedy on random weights: a long, deterministic reply (no end-of-turn within the limit).
      long: { model: RANDOM, options: { temperature: 0, num_predict: 100_000, num_ctx: 512, num_thread: 1 } },
    },
    ...extra,
  });
  return new OllamaBackend(
    config,
    { name: 'ollama', kind: 'backend', specifier: '@confab/backend-ollama', configDir: tmpdir() },
    createSilentLogger(),
  );
}

/** Asks until the backend answers again (it fails fast while the server is down), bounded. */
async function untilAnswered(backend: OllamaBackend, timeoutMs = 60_000): Promise<StreamPart[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const parts = await collect(backend.generate(request('exact', [{ role: 'user', content: 'hello' }])));
    if (parts.at(-1)?.type === 'finish' || Date.now() > deadline) return parts;
    await sleep(100);
  }
}

describe.skipIf(!ollamaPeerAvailable())('OllamaBackend against a real Ollama server', () => {
  let server: OllamaServer;

  beforeAll(async () => {
    server = await startOllama({ numParallel: 2 });
    await server.createTinyModel(STRUCTURED, 'structured');
    await server.createTinyModel(RANDOM, 'random');
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('streams the exact reply of a structured model, with the system prompt and the history sent', async () => {
    const backend = makeBackend(server.host);
    await backend.start();
    const short = await collect(backend.generate(request('exact', [{ role: 'user', content: 'Hi' }])));
    const history: BackendMessage[] = [
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: '4' },
      { role: 'user', content: 'And 3+3?' },
    ];
    const long = await collect(backend.generate(request('exact', history, { system: 'You are terse.' })));
    for (const parts of [short, long]) {
      expect(parts[0]).toEqual({ type: 'stream-start', warnings: [] });
      expect(text(parts)).toBe('OK.');
      // Streamed: one delta per token, not one blob.
      expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
      expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    }
    const inputOf = (parts: StreamPart[]) =>
      (parts.at(-1) as Extract<StreamPart, { type: 'finish' }>).usage.inputTokens;
    // The system prompt and three messages make a longer prompt than one short message.
    expect(inputOf(short)).toBeGreaterThan(0);
    expect(inputOf(long)).toBeGreaterThan(inputOf(short) + 20);
    await backend.stop();
  });

  it('drops the oldest messages to meet maxPromptTokens by estimate; usage is the server count', async () => {
    const backend = makeBackend(server.host);
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

  it('serves its declared parallel capacity at once, every reply exact', async () => {
    const backend = makeBackend(server.host);
    await backend.start();
    expect(backend.capacity('exact')).toEqual({ workers: 1, parallel: 2, contextTokens: 2048 });
    expect(backend.capacity('long').contextTokens).toBe(512);
    const replies = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        collect(backend.generate(request('exact', [{ role: 'user', content: `question ${n}` }]))),
      ),
    );
    expect(replies.map(text)).toEqual(['OK.', 'OK.', 'OK.', 'OK.']);
    await backend.stop();
  });

  it("maps the mate's sampling to Ollama options (num_predict from maxTokens)", async () => {
    const backend = makeBackend(server.host);
    await backend.start();
    const parts = await collect(
      backend.generate(request('long', [{ role: 'user', content: 'go' }], { sampling: { maxTokens: 5 } })),
    );
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      reason: 'length',
      usage: expect.objectContaining({ outputTokens: 5 }),
    });
    await backend.stop();
  });

  it('cancelling aborts the HTTP stream: the client closes the connection, and the server is free again', async () => {
    const solo = await startOllama({ numParallel: 1, modelsDir: server.modelsDir });
    // The relay lets the reply through up to its first tokens and holds the rest back, so the
    // reply cannot end by itself, however fast the server is: only cancelling can end it.
    const recorder = await startTcpRecorder(solo.port, { hold: { marker: '"done":false}', count: 2 } });
    try {
      const backend = makeBackend(recorder.url);
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
      const chat = recorder.connections.find((connection) => connection.sent().includes('POST /api/chat'));
      expect(chat).toBeDefined();
      await chat?.closed;
      expect(chat?.closedBy()).toBe('client');
      await backend.stop();

      // With one sequence, a reply still generating for the closed connection would block this one.
      const direct = makeBackend(solo.host);
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
    const backend = makeBackend(server.host, { profiles: { small: { model: 'no-such-model' } } });
    const error = await backend.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfabError);
    expect((error as ConfabError).code).toBe('backend.model-missing');
    expect((error as Error).message).toBe(
      `backend 'ollama' profile 'small': model 'no-such-model' is not on the Ollama server at ${server.host}; add it there (\`ollama pull no-such-model\`, or \`ollama create no-such-model -f Modelfile\` for a GGUF file), or set \`pull: true\` on backend 'ollama' to pull it at start`,
    );
  });

  it('pull: true pulls a missing model at start, with progress in the log, and says clearly when that fails', async () => {
    let log = '';
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => (log += line) } });
    // A name no registry has: offline the lookup fails, online the manifest is missing; never a download.
    const model = 'confab-test/no-such-model:never';
    const backend = new OllamaBackend(
      ollamaBackendConfigSchema.parse({ host: server.host, pull: true, profiles: { small: { model } } }),
      { name: 'ollama', kind: 'backend', specifier: '@confab/backend-ollama', configDir: tmpdir() },
      logger,
    );
    const error = await backend.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfabError);
    expect((error as ConfabError).code).toBe('backend.pull-failed');
    expect((error as Error).message).toMatch(
      new RegExp(
        `^backend 'ollama' profile 'small': pulling model '${model}' on ${server.host} failed: .+; check the model name and the server's internet access, or add the model to the server yourself$`,
      ),
    );
    expect(log).toContain(`backend 'ollama' profile 'small': pulling model '${model}'`);
    expect(log).toContain('pull pulling manifest');
  });

  it('says clearly when no server answers at start', async () => {
    const port = await closedPort();
    const backend = makeBackend(`http://127.0.0.1:${port}`);
    const error = await backend.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfabError);
    expect((error as Error).message).toBe(
      `backend 'ollama': no Ollama server answers at http://127.0.0.1:${port} (fetch failed (ECONNREFUSED)); start it (\`ollama serve\`) or set the backend's host`,
    );
  });

  it('a server killed mid-reply ends the stream with an error part; the backend recovers when it is back', async () => {
    const own = await startOllama({ numParallel: 1, modelsDir: server.modelsDir });
    // The long reply is held back after its first tokens, so it is surely unfinished when the
    // server is killed, however fast the server is.
    const recorder = await startTcpRecorder(own.port, {
      hold: { when: '"content":"talk"', marker: '"done":false}', count: 2 },
    });
    try {
      const backend = makeBackend(recorder.url);
      await backend.start();
      const parts: StreamPart[] = [];
      for await (const part of backend.generate(request('long', [{ role: 'user', content: 'talk' }]))) {
        parts.push(part);
        if (part.type === 'text-delta' && own.running) await own.kill();
      }
      expect(parts[0]).toMatchObject({ type: 'stream-start' });
      expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
      expect(parts.at(-1)).toMatchObject({ type: 'error', error: { kind: 'unavailable' } });

      // While it is down: one short failure at once, no hang.
      const down = await collect(backend.generate(request('exact', [{ role: 'user', content: 'hello' }])));
      expect(down).toMatchObject([{ type: 'error', error: { kind: 'unavailable' } }]);

      await own.restart();
      const back = await untilAnswered(backend);
      expect(text(back)).toBe('OK.');
      expect(back.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
      await backend.stop();
    } finally {
      await recorder.close();
      await own.stop();
    }
  });
});
