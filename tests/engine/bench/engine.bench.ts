/**
 * `pnpm bench engine`: what the engine adds on top of an instant backend.
 *
 * - throughput: messages answered end to end per second through transport → engine →
 *   scheduler → backend → reply, against a baseline in the same run that calls the same backend
 *   and transport directly (no routing, dedupe, history, scheduling);
 * - added latency p50/p99 at half the measured maximum rate (open loop);
 * - the flood figure: how many of a flooding user's replies go out before the last of 9 other
 *   users is answered (2 workers).
 *
 * Writes bench-results/engine.json and prints a table.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore, MemoryStore, type Store } from '@confab/core';
import {
  benchMachine,
  createTestBot,
  type MemoryTransport,
  type ScriptedBackend,
  writeBenchResult,
} from '@confab/testkit';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const USERS = 500;
const ROOMS = 50;
const CONCURRENCY = 256;
const TARGETS = { messagesPerSecond: 10_000, p99AddedLatencyMs: 5, floodWorstHonestWaitSlots: 5 };

// The targets are for the engine itself, measured on the in-memory store; the same figures on
// the embedded LMDB store (the default of a real bot, durable, so every claim waits for a
// commit to disk) are measured in the same run and reported beside them.
type StoreKind = 'memory' | 'lmdb';
const tempDirs: string[] = [];

function benchStore(kind: StoreKind): Store {
  if (kind === 'memory') return new MemoryStore();
  const dir = mkdtempSync(join(tmpdir(), 'confab-bench-'));
  tempDirs.push(dir);
  return new LmdbStore({ path: dir });
}

function quietBot(kind: StoreKind) {
  return createTestBot({
    store: benchStore(kind),
    config: {
      scheduler: { maxPerUser: 1_000, maxQueue: 100_000 },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default', history: { maxMessages: 8 } }],
    },
    // The test doubles' records of past messages and requests are kept short: they are not
    // part of the engine, and thousands of them would weigh on its garbage collection.
    transport: { echo: false, retain: 16, capabilities: { typing: false } },
    profiles: { default: { workers: 4, parallel: 16, reply: 'ok' } },
    retainCalls: 16,
  });
}

function message(i: number) {
  return { text: `@ada message ${i}`, from: `u:${i % USERS}`, roomId: `r${i % ROOMS}` };
}

/** Runs `count` tasks with at most `limit` in flight. */
async function pool(count: number, limit: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

async function engineThroughput(kind: StoreKind): Promise<number> {
  const { bot, transport } = quietBot(kind);
  await bot.start();
  await pool(2_000, CONCURRENCY, (i) => transport.inject(message(i))); // warm-up
  const start = performance.now();
  await pool(MESSAGES, CONCURRENCY, (i) => transport.inject(message(2_000 + i)));
  const seconds = (performance.now() - start) / 1000;
  const answered = transport.sentCount - 2_000;
  await bot.stop(1000);
  if (answered !== MESSAGES) throw new Error(`engine answered ${answered} of ${MESSAGES}`);
  return MESSAGES / seconds;
}

/** The same backend and transport, driven directly: the floor the engine is compared with. */
async function baselineThroughput(): Promise<number> {
  const { bot, transport, backend } = quietBot('memory');
  // Nothing here is ever cancelled: one signal serves every call.
  const signal = new AbortController().signal;
  await bot.start();
  const direct = async (i: number, t: MemoryTransport, b: ScriptedBackend) => {
    const m = message(i);
    const inbound = await t.inject({ ...m, text: 'no mate addressed' });
    let text = '';
    for await (const part of b.generate({
      profile: 'default',
      system: '',
      messages: [{ role: 'user', content: m.text }],
      sampling: {},
      signal,
    })) {
      if (part.type === 'text-delta') text += part.text;
    }
    await t.send(
      { transport: 'memory', roomId: inbound.roomId, isDirect: false, mate: 'ada', replyTo: inbound.id },
      text,
    );
  };
  await pool(2_000, CONCURRENCY, (i) => direct(i, transport, backend));
  const start = performance.now();
  await pool(MESSAGES, CONCURRENCY, (i) => direct(2_000 + i, transport, backend));
  const seconds = (performance.now() - start) / 1000;
  await bot.stop(1000);
  return MESSAGES / seconds;
}

/**
 * Sends `count` messages at `rate` per second, on schedule whether or not earlier replies are
 * done (open loop), and resolves with each one's time to its reply, in ms.
 */
async function openLoop(
  transport: MemoryTransport,
  rate: number,
  count: number,
  firstIndex: number,
): Promise<number[]> {
  const latencies: number[] = [];
  const intervalMs = 1000 / rate;
  const started = performance.now();
  // Counted rather than collected, so the harness keeps nothing per message alive.
  let pending = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const finished = (sentAt: number) => {
    latencies.push(performance.now() - sentAt);
    if (--pending === 0 && latencies.length === count) allDone();
  };
  for (let i = 0; i < count; i++) {
    const wait = started + i * intervalMs - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = performance.now();
    pending++;
    void transport.inject(message(firstIndex + i)).then(() => finished(sentAt));
  }
  await done;
  return latencies;
}

async function latencyAtRate(
  kind: StoreKind,
  rate: number,
): Promise<{ p50: number; p99: number; count: number }> {
  const { bot, transport } = quietBot(kind);
  await bot.start();
  // Steady state: the first messages of a run pay for compiling the hot paths, and the first
  // fraction of a second at a steady rate for sizing the young generation to it.
  await pool(2_000, 16, (i) => transport.inject(message(1_000_000 + i)));
  await openLoop(transport, rate, Math.round(rate / 4), 2_000_000);
  const count = Math.min(MESSAGES, Math.round(rate * 2));
  const latencies = await openLoop(transport, rate, count, 0);
  await bot.stop(1000);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), count };
}

async function floodFigure(): Promise<number> {
  const { bot, transport } = createTestBot({
    config: { scheduler: { maxPerUser: 500, maxQueue: 1000 } },
    transport: { echo: false },
    profiles: { default: { workers: 2, parallel: 1, chunkDelayMs: 1, reply: 'ok {text}' } },
  });
  await bot.start();
  const order: string[] = [];
  bot.events.on('reply.sent', (e) => order.push(e.text));
  const flood = Array.from({ length: 200 }, (_, i) =>
    transport.inject({ text: `@ada flood ${i}`, from: 'u:flooder', threadId: `t${i}` }),
  );
  const others = Array.from({ length: 9 }, (_, i) =>
    transport.inject({ text: `@ada other ${i}`, from: `u:other${i}` }),
  );
  await Promise.all([...flood, ...others]);
  await bot.stop(1000);
  const lastOther = Math.max(...order.map((t, i) => (t.startsWith('ok other') ? i : -1)));
  return order.slice(0, lastOther).filter((t) => t.startsWith('ok flood')).length;
}

/** Each phase starts with the garbage of the previous ones collected (run with --expose-gc). */
async function phase<T>(run: () => Promise<T>): Promise<T> {
  (globalThis as { gc?: () => void }).gc?.();
  return run();
}

const baseline = await phase(baselineThroughput);
const throughput = await phase(() => engineThroughput('memory'));
const latency = await phase(() => latencyAtRate('memory', throughput / 2));
const lmdbThroughput = await phase(() => engineThroughput('lmdb'));
const lmdbLatency = await phase(() => latencyAtRate('lmdb', lmdbThroughput / 2));
const flood = await phase(floodFigure);

const metrics = {
  messagesPerSecond: Math.round(throughput),
  baselineMessagesPerSecond: Math.round(baseline),
  p50AddedLatencyMs: Number(latency.p50.toFixed(3)),
  p99AddedLatencyMs: Number(latency.p99.toFixed(3)),
  latencySamples: latency.count,
  latencyRatePerSecond: Math.round(throughput / 2),
  floodWorstHonestWaitSlots: flood,
  lmdbMessagesPerSecond: Math.round(lmdbThroughput),
  lmdbP50AddedLatencyMs: Number(lmdbLatency.p50.toFixed(3)),
  lmdbP99AddedLatencyMs: Number(lmdbLatency.p99.toFixed(3)),
};
const ratios = {
  engineVsDirect: Number((throughput / baseline).toFixed(3)),
  lmdbVsMemoryStore: Number((lmdbThroughput / throughput).toFixed(3)),
};
const met =
  metrics.messagesPerSecond >= TARGETS.messagesPerSecond &&
  metrics.p99AddedLatencyMs <= TARGETS.p99AddedLatencyMs &&
  metrics.floodWorstHonestWaitSlots < TARGETS.floodWorstHonestWaitSlots;
for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
const result = {
  name: 'engine',
  machine: benchMachine(),
  params: {
    messages: MESSAGES,
    users: USERS,
    rooms: ROOMS,
    concurrency: CONCURRENCY,
    backend: 'scripted, instant',
    targetsMeasuredOn: 'memory store',
  },
  metrics,
  ratios,
  targets: TARGETS,
  met,
};
writeBenchResult(result);
console.table({
  'messages/s (engine)': { value: metrics.messagesPerSecond, target: `>= ${TARGETS.messagesPerSecond}` },
  'messages/s (direct baseline)': { value: metrics.baselineMessagesPerSecond, target: '' },
  'engine / direct': { value: ratios.engineVsDirect, target: '' },
  'p50 added latency ms': { value: metrics.p50AddedLatencyMs, target: '' },
  'p99 added latency ms': { value: metrics.p99AddedLatencyMs, target: `<= ${TARGETS.p99AddedLatencyMs}` },
  'messages/s (LMDB store)': { value: metrics.lmdbMessagesPerSecond, target: '' },
  'p99 added latency ms (LMDB store)': { value: metrics.lmdbP99AddedLatencyMs, target: '' },
  'flood: flooder replies before the 9th other': {
    value: flood,
    target: `< ${TARGETS.floodWorstHonestWaitSlots}`,
  },
});
console.log(met ? 'engine bench: targets met' : 'engine bench: targets NOT met');
