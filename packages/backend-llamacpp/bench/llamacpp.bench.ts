/**
 * `pnpm bench llamacpp`: what confab adds on top of node-llama-cpp, on a generated ~25M-parameter
 * F16 model with the end-of-generation tokens banned (every reply exactly 64 tokens).
 *
 * Aggregate output tokens/s for: 1 conversation; 8 concurrent conversations through the whole bot
 * (memory transport → engine → scheduler → worker process, 8 sequences on one context); the same
 * 8 one after another; and raw node-llama-cpp driving 8 sequences of one context in-process (no
 * confab). Also time to first token at concurrency 8 and peak memory (bot and worker processes).
 * The three compared phases alternate for BENCH_ROUNDS rounds (default 3); figures are medians.
 * `BENCH_GPU=cuda` runs on a GPU (never in CI). Writes bench-results/llamacpp.json.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchMachine, median, writeBenchResult } from '@confab/testkit';
import { type ModelSize, writeTinyGguf } from '@confab/testkit/gguf';
import { getLlama, LlamaChatSession, LlamaLogLevel } from 'node-llama-cpp';
import { defaultThreads } from '../src/threads.js';
import { eogBan } from '../src/worker/eog-ban.js';
import { finishedReplies, llamaBot } from '../test/llama-bot.js';

const TOKENS = 64;
const CONVERSATIONS = 8;
const GPU = (process.env.BENCH_GPU ?? 'off') as 'off' | 'cuda' | 'vulkan' | 'metal' | 'auto';
const THREADS = Number(process.env.BENCH_THREADS ?? defaultThreads(1));
const CONTEXT = 512;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
// The model is ~25M parameters; BENCH_SIZE=tiny|small shows how batching pays on smaller ones.
const SIZE = (process.env.BENCH_SIZE ?? '25m') as ModelSize;
const SYSTEM = 'You are Ada.';
const TARGETS = { concurrentVsRaw: 0.95, concurrentVsSequential: 1.5 };
const prompts = Array.from({ length: CONVERSATIONS }, (_, i) => `Tell me a story about the number ${i}.`);

/** Peak resident memory of a process in MB (VmHWM), or NaN where /proc is unavailable. */
function peakRssMb(pid: number | 'self'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return Number.NaN;
  }
}

const dir = await mkdtemp(join(tmpdir(), 'confab-bench-llamacpp-'));
const model = await writeTinyGguf(join(dir, `bench-${SIZE}.gguf`), {
  kind: 'random',
  size: SIZE,
  dtype: 'f16',
});

// --- through confab -------------------------------------------------------------------------
const { bot, transport, backend } = llamaBot({
  profiles: {
    default: {
      model: model.path,
      contextSize: CONTEXT,
      sequences: CONVERSATIONS,
      gpu: GPU,
      threads: THREADS,
      sampling: { maxTokens: TOKENS, ignoreEos: true },
    },
  },
});
const replies = finishedReplies(bot);
let outputTokens = 0;
const firstToken = new Map<string, number>();
bot.events.on('job.finished', (event) => {
  outputTokens += event.usage.outputTokens;
});
bot.events.on('job.token', (event) => {
  if (!firstToken.has(event.conversation)) firstToken.set(event.conversation, performance.now());
});
await bot.start();
const workerPid = backend.workerPids('default')[0]!;
let room = 0;
const counted: { expected: number; got: number }[] = [];

/** Sends the prompts (all at once or one by one) in fresh rooms; returns tokens/s and TTFTs. */
async function throughConfab(texts: string[], concurrent: boolean) {
  outputTokens = 0;
  firstToken.clear();
  const before = replies.length;
  const sentAt = new Map<string, number>();
  const start = performance.now();
  const send = async (text: string) => {
    const roomId = `bench-${room++}`;
    sentAt.set(roomId, performance.now());
    await transport.inject({ text: `@ada ${text}`, roomId, from: `u:${roomId}` });
  };
  if (concurrent) {
    await Promise.all(texts.map(send));
    await transport.waitFor(() => replies.length === before + texts.length, 600_000);
  } else {
    for (const [i, text] of texts.entries()) {
      await send(text);
      await transport.waitFor(() => replies.length === before + i + 1, 600_000);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  // Tokens as counted by the backend; a stop string the random text happens to contain can end a reply early.
  counted.push({ expected: TOKENS * texts.length, got: outputTokens });
  const ttft = [...firstToken.entries()].map(([conversation, at]) => {
    const sent =
      [...sentAt.entries()].find(([roomId]) => new RegExp(`${roomId}(?!\\d)`).test(conversation))?.[1] ??
      start;
    return at - sent;
  });
  return { tokensPerSecond: outputTokens / seconds, ttft };
}

await throughConfab(['warm up'], false);
const one = await throughConfab([prompts[0]!], false);
// This machine's speed drifts (shared CPUs): the compared phases alternate, ROUNDS times, and
// each figure is the median of its rounds.
const concurrentRuns = [await throughConfab(prompts, true)];
const sequentialRuns = [await throughConfab(prompts, false)];
const workerPeak = peakRssMb(workerPid);
// Before the raw model is loaded into this process.
const botPeak = peakRssMb('self');

// --- raw node-llama-cpp: 8 sequences of one context, no confab -----------------------------
const llama = await getLlama({
  gpu: GPU === 'off' ? false : GPU,
  build: 'never',
  logLevel: LlamaLogLevel.error,
});
const raw = await llama.loadModel({ modelPath: model.path });
const context = await raw.createContext({ contextSize: CONTEXT, sequences: CONVERSATIONS, threads: THREADS });
const ban = eogBan(raw);

/** One round of raw node-llama-cpp: the 8 prompts at once on fresh sequences; tokens/s. */
async function rawRound(): Promise<number> {
  const sequences = prompts.map(() => context.getSequence());
  const sessions = sequences.map(
    (contextSequence) =>
      new LlamaChatSession({ contextSequence, systemPrompt: SYSTEM, autoDisposeSequence: false }),
  );
  let rawTokens = 0;
  const rawStart = performance.now();
  await Promise.all(
    sessions.map((session, i) =>
      session.prompt(prompts[i]!, {
        maxTokens: TOKENS,
        tokenBias: ban,
        onToken: (tokens) => {
          rawTokens += tokens.length;
        },
      }),
    ),
  );
  const tokensPerSecond = rawTokens / ((performance.now() - rawStart) / 1000);
  counted.push({ expected: TOKENS * CONVERSATIONS, got: rawTokens });
  for (const session of sessions) session.dispose();
  for (const sequence of sequences) sequence.dispose();
  return tokensPerSecond;
}

{
  // Warm-up of the raw path, not measured.
  const sequence = context.getSequence();
  const session = new LlamaChatSession({
    contextSequence: sequence,
    systemPrompt: SYSTEM,
    autoDisposeSequence: false,
  });
  await session.prompt('warm up', { maxTokens: 4, tokenBias: ban });
  session.dispose();
  sequence.dispose();
}
const rawRuns = [await rawRound()];
for (let round = 1; round < ROUNDS; round++) {
  concurrentRuns.push(await throughConfab(prompts, true));
  sequentialRuns.push(await throughConfab(prompts, false));
  rawRuns.push(await rawRound());
}
await bot.stop();
await context.dispose();
await raw.dispose();
await llama.dispose();
await rm(dir, { recursive: true, force: true });

const concurrent = {
  tokensPerSecond: median(concurrentRuns.map((run) => run.tokensPerSecond)),
  ttft: concurrentRuns.flatMap((run) => run.ttft),
};
const sequential = { tokensPerSecond: median(sequentialRuns.map((run) => run.tokensPerSecond)) };
const rawTokensPerSecond = median(rawRuns);

// --- report -------------------------------------------------------------------------------
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const ttft = concurrent.ttft.sort((a, b) => a - b);
const metrics = {
  oneConversationTokensPerSecond: round(one.tokensPerSecond),
  concurrent8TokensPerSecond: round(concurrent.tokensPerSecond),
  sequential8TokensPerSecond: round(sequential.tokensPerSecond),
  raw8SequencesTokensPerSecond: round(rawTokensPerSecond),
  ttftConcurrency8MeanMs: round(ttft.reduce((a, b) => a + b, 0) / Math.max(1, ttft.length)),
  ttftConcurrency8MaxMs: round(ttft.at(-1) ?? Number.NaN),
  peakRssBotMb: botPeak,
  peakRssWorkerMb: workerPeak,
};
const ratios = {
  concurrentVsRaw: round(metrics.concurrent8TokensPerSecond / metrics.raw8SequencesTokensPerSecond, 3),
  concurrentVsSequential: round(metrics.concurrent8TokensPerSecond / metrics.sequential8TokensPerSecond, 3),
};
const met =
  ratios.concurrentVsRaw >= TARGETS.concurrentVsRaw &&
  ratios.concurrentVsSequential >= TARGETS.concurrentVsSequential;
const result = {
  name: 'llamacpp',
  machine: benchMachine(),
  params: {
    model: `generated random ${model.parameters} parameters, F16, ${model.bytes} bytes`,
    tokensPerReply: TOKENS,
    conversations: CONVERSATIONS,
    rounds: ROUNDS,
    contextSize: CONTEXT,
    threads: THREADS,
    gpu: GPU,
    workerMode: 'process',
    // Output tokens per phase (warm-up, 1, then per round 8 concurrent, 8 sequential, raw): expected vs counted.
    outputTokens: counted,
  },
  metrics,
  ratios,
  // Every round's tokens/s, in order, for judging the spread behind the medians.
  rounds: {
    concurrent8: concurrentRuns.map((run) => round(run.tokensPerSecond)),
    sequential8: sequentialRuns.map((run) => round(run.tokensPerSecond)),
    raw8: rawRuns.map((value) => round(value)),
  },
  targets: TARGETS,
  met,
};
writeBenchResult(result);
console.table({
  'tokens/s, 1 conversation': { value: metrics.oneConversationTokensPerSecond, target: '' },
  'tokens/s, 8 concurrent (confab)': { value: metrics.concurrent8TokensPerSecond, target: '' },
  'tokens/s, 8 sequential (confab)': { value: metrics.sequential8TokensPerSecond, target: '' },
  'tokens/s, raw node-llama-cpp 8 sequences': { value: metrics.raw8SequencesTokensPerSecond, target: '' },
  'concurrent / raw': { value: ratios.concurrentVsRaw, target: `>= ${TARGETS.concurrentVsRaw}` },
  'concurrent / sequential': {
    value: ratios.concurrentVsSequential,
    target: `>= ${TARGETS.concurrentVsSequential}`,
  },
  'TTFT at 8, mean ms': { value: metrics.ttftConcurrency8MeanMs, target: '' },
  'TTFT at 8, max ms': { value: metrics.ttftConcurrency8MaxMs, target: '' },
  'peak RSS bot / worker MB': { value: `${botPeak} / ${workerPeak}`, target: '' },
});
console.log(met ? 'llamacpp bench: targets met' : 'llamacpp bench: targets NOT met');
process.exit(0);
