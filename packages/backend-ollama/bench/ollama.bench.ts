/**
 * `pnpm bench ollama`: 8 concurrent conversations through confab's llama.cpp backend vs through
 * a real Ollama (`OLLAMA_NUM_PARALLEL=8`) via this backend, on the same generated model, the
 * same machine, in one run. Both go through confab's Backend contract (`generate`), greedy, the
 * same prompts and the same reply length limit; aggregate output tokens per second of wall time
 * over a few rounds after a warm-up, and the ratio Ollama / llama.cpp. Writes
 * bench-results/ollama.json and prints a table. Needs the Ollama peer
 * (scripts/peers/ollama.sh); exits non-zero without it.
 *
 * Env: BENCH_MODEL_SIZE (testkit size, default 25m), BENCH_TOKENS (per reply, default 64),
 * BENCH_ROUNDS (default 3).
 */
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlamaCppBackend, llamaCppConfigSchema } from '@confab/backend-llamacpp';
import {
  type Backend,
  createSilentLogger,
  EventBus,
  type GenerateRequest,
  type StreamPart,
} from '@confab/core';
import { benchMachine, writeBenchResult } from '@confab/testkit';
import { type ModelSize, writeTinyGguf } from '@confab/testkit/gguf';
import { findOllamaBinary, startOllama } from '@confab/testkit/ollama';
import { ollamaBackendConfigSchema } from '../src/config.js';
import { OllamaBackend } from '../src/ollama-backend.js';

const CONVERSATIONS = 8;
const SIZE = (process.env.BENCH_MODEL_SIZE ?? '25m') as ModelSize;
const TOKENS = Number(process.env.BENCH_TOKENS ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONTEXT = 512;
const MODEL = 'confab-bench';
const logger = createSilentLogger();

interface RunResult {
  readonly outputTokens: number;
  readonly seconds: number;
  readonly tokensPerSecond: number;
  readonly failures: number;
}

function request(i: number, round: number): GenerateRequest {
  return {
    profile: 'bench',
    system: 'You are a storyteller.',
    messages: [
      { role: 'user', content: `Conversation ${i}, round ${round}: tell me a long story.` },
      { role: 'assistant', content: 'Once upon a time' },
      { role: 'user', content: 'Go on.' },
    ],
    maxPromptTokens: CONTEXT - TOKENS,
    sampling: { temperature: 0, maxTokens: TOKENS, seed: 1 },
    signal: new AbortController().signal,
  };
}

async function consume(parts: AsyncIterable<StreamPart>): Promise<{ tokens: number; ok: boolean }> {
  let deltas = 0;
  for await (const part of parts) {
    if (part.type === 'text-delta') deltas++;
    if (part.type === 'finish') return { tokens: part.usage.outputTokens || deltas, ok: true };
    if (part.type === 'error') return { tokens: deltas, ok: false };
  }
  return { tokens: deltas, ok: false };
}

/** One warm-up round, then ROUNDS rounds of 8 conversations at once. */
async function measure(backend: Backend): Promise<RunResult> {
  await Promise.all(
    Array.from({ length: CONVERSATIONS }, (_, i) => consume(backend.generate(request(i, -1)))),
  );
  let outputTokens = 0;
  let failures = 0;
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    const results = await Promise.all(
      Array.from({ length: CONVERSATIONS }, (_, i) => consume(backend.generate(request(i, round)))),
    );
    for (const result of results) {
      outputTokens += result.tokens;
      if (!result.ok) failures++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { outputTokens, seconds, tokensPerSecond: outputTokens / seconds, failures };
}

async function main(): Promise<number> {
  const bin = findOllamaBinary();
  if (!bin) {
    console.error('ollama bench: peer missing: Ollama; run scripts/peers/ollama.sh first');
    return 1;
  }
  const dir = await mkdtemp(join(tmpdir(), 'confab-bench-ollama-'));
  const model = await writeTinyGguf(join(dir, 'bench.gguf'), { kind: 'random', size: SIZE, dtype: 'f16' });
  let llama: RunResult;
  let ollama: RunResult;
  const threads = Math.max(1, Math.floor(availableParallelism() / 2));
  try {
    // confab's llama.cpp backend: one inline worker, 8 sequences on one context.
    const local = new LlamaCppBackend(
      { name: 'local', kind: 'backend', specifier: '@confab/backend-llamacpp', configDir: dir },
      llamaCppConfigSchema.parse({
        profiles: {
          bench: {
            model: model.path,
            contextSize: CONTEXT,
            sequences: CONVERSATIONS,
            workers: 1,
            mode: 'inline',
            gpu: 'off',
            sampling: { ignoreEos: true },
          },
        },
      }),
      new EventBus(),
      logger,
    );
    await local.start();
    try {
      llama = await measure(local);
    } finally {
      await local.stop();
    }

    // Ollama: the same file imported, 8 parallel sequences, the same threads as the local backend.
    const server = await startOllama({ bin, numParallel: CONVERSATIONS });
    try {
      await server.createModel(MODEL, model.path);
      const remote = new OllamaBackend(
        ollamaBackendConfigSchema.parse({
          host: server.host,
          profiles: {
            bench: {
              model: MODEL,
              parallel: CONVERSATIONS,
              options: { num_ctx: CONTEXT, num_thread: threads, temperature: 0 },
            },
          },
        }),
        { name: 'ollama', kind: 'backend', specifier: '@confab/backend-ollama', configDir: dir },
        logger,
      );
      await remote.start();
      try {
        ollama = await measure(remote);
      } finally {
        await remote.stop();
      }
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const ratio = ollama.tokensPerSecond / llama.tokensPerSecond;
  const result = {
    name: 'ollama',
    machine: benchMachine(),
    params: {
      conversations: CONVERSATIONS,
      rounds: ROUNDS,
      maxTokensPerReply: TOKENS,
      modelSize: SIZE,
      modelParameters: model.parameters,
      dtype: 'f16',
      contextPerConversation: CONTEXT,
      threads,
      ollamaNumParallel: CONVERSATIONS,
      note: 'llama.cpp backend ignores EOS (fixed length); Ollama cannot, so its token count is what it generated',
    },
    metrics: {
      llamacppTokensPerSecond: Number(llama.tokensPerSecond.toFixed(1)),
      llamacppOutputTokens: llama.outputTokens,
      llamacppSeconds: Number(llama.seconds.toFixed(2)),
      llamacppFailures: llama.failures,
      ollamaTokensPerSecond: Number(ollama.tokensPerSecond.toFixed(1)),
      ollamaOutputTokens: ollama.outputTokens,
      ollamaSeconds: Number(ollama.seconds.toFixed(2)),
      ollamaFailures: ollama.failures,
    },
    ratios: { ollamaOverLlamacpp: Number(ratio.toFixed(3)) },
    // The throughput figures are reported, not judged: they depend on the machine. The one hard
    // target is that both complete every conversation.
    targets: { failures: 0 },
    met: llama.failures === 0 && ollama.failures === 0,
  };
  writeBenchResult(result);
  console.log(
    `ollama bench: ${CONVERSATIONS} concurrent conversations x ${ROUNDS} rounds, ${SIZE} model, ${TOKENS} tokens max`,
  );
  console.table({
    'confab llama.cpp backend': {
      'tokens/s': result.metrics.llamacppTokensPerSecond,
      tokens: llama.outputTokens,
      seconds: result.metrics.llamacppSeconds,
      failures: llama.failures,
    },
    'Ollama (OLLAMA_NUM_PARALLEL=8)': {
      'tokens/s': result.metrics.ollamaTokensPerSecond,
      tokens: ollama.outputTokens,
      seconds: result.metrics.ollamaSeconds,
      failures: ollama.failures,
    },
  });
  console.log(`ratio Ollama / llama.cpp backend: ${result.ratios.ollamaOverLlamacpp}`);
  return result.met ? 0 : 1;
}

process.exitCode = await main();
