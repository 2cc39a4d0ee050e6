/**
 * `pnpm bench engine`: what the engine adds on top of an instant backend.
 *
 * - throughput: messages answered end to end per second through transport → engine →
 *   scheduler → backend → reply, against a baseline in the same run that calls the same backend
 *   and transport directly (no routing, dedupe, history, scheduling);
 * - added latency p50/p99 at half the measured maximum rate (open loop), the median of
 *   BENCH_ROUNDS rounds (default 3). Each round is followed by the same harness at the same rate
 *   driving a stand-in that only spins the CPU for the engine's mean time per message (its
 *   inverse throughput) and allocates nothing: the latency any engine of that cost would show on
 *   this machine, so the machine's own stalls (a small VM loses the CPU for several ms now and
 *   then, and at half load every stall leaves a backlog) are told apart from the engine's;
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
  median,
  type MemoryTransport,
  type ScriptedBackend,
  writeBenchResult,
} from '@confab/testkit';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const USERS = 500;
const ROOMS = 50;
const CONCURRENCY = 256;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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

// Nothing on the direct path is ever cancelled: one signal serves every call.
const neverAborted = new AbortController().signal;

/**
 * The direct path: the same transport and backend driven without the engine (no routing,
 * dedupe, history or scheduling), one message in, one reply out.
 */
async function direct(i: number, t: MemoryTransport, b: ScriptedBackend): Promise<void> {
  const m = message(i);
  const inbound = await t.inject({ ...m, text: 'no mate addressed' });
  let text = '';
  for await (const part of b.generate({
    profile: 'default',
    system: '',
    messages: [{ role: 'user', content: m.text }],
    sampling: {},
    signal: neverAborted,
  })) {
    if (part.type === 'text-delta') text += part.text;
  }
  await t.send(
    { transport: 'memory', roomId: inbound.roomId, isDirect: false, mate: 'ada', replyTo: inbound.id },
    text,
  );
}

/** The direct path's throughput: the baseline the engine's throughput is compared with. */
async function baselineThroughput(): Promise<number> {
  const { bot, transport, backend } = quietBot('memory');
  await bot.start();
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
  send: (i: number) => Promise<unknown>,
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
    void send(firstIndex + i).then(() => finished(sentAt));
  }
  await done;
  return latencies;
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
}

function quantiles(latencies: number[]): Latency {
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), count: latencies.length };
}

/**
 * Latency through the engine at `rate` messages/s, on a fresh bot: warm-up, a quarter second at
 * the rate, then two seconds measured.
 */
async function engineLatency(kind: StoreKind, rate: number): Promise<Latency> {
  const { bot, transport } = quietBot(kind);
  await bot.start();
  const send = (i: number) => transport.inject(message(i));
  // Steady state: the first messages of a run pay for compiling the hot paths, and the first
  // fraction of a second at a steady rate for sizing the young generation to it.
  await pool(2_000, 16, (i) => send(1_000_000 + i));
  await openLoop(send, rate, Math.round(rate / 4), 2_000_000);
  const latencies = await openLoop(send, rate, Math.min(MESSAGES, Math.round(rate * 2)), 0);
  await bot.stop(1000);
  return quantiles(latencies);
}

/**
 * The machine's floor: the same harness and rate, but each message only spins the CPU for
 * `costMs` (the engine's mean time per message at full load) and allocates nothing.
 */
async function floorLatency(rate: number, costMs: number): Promise<Latency> {
  const send = async (_i: number) => {
    const start = performance.now();
    while (performance.now() - start < costMs) {
      // spinning: a stand-in for the engine's work, without its allocations
    }
  };
  await openLoop(send, rate, Math.round(rate / 4), 0);
  return quantiles(await openLoop(send, rate, Math.min(MESSAGES, Math.round(rate * 2)), 0));
}

interface Round {
  readonly engine: Latency;
  readonly floor: Latency;
}

interface LatencyRounds {
  /** Medians over the rounds. */
  readonly engine: Latency;
  readonly floor: Latency;
  /** Every round's figures, in order. */
  readonly rounds: Round[];
}

/**
 * {@link ROUNDS} rounds at half of `maxRate`, each the engine and then the floor, alternating
 * so both see the same spells of a noisy machine.
 */
async function latencyRounds(kind: StoreKind, maxRate: number): Promise<LatencyRounds> {
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const engine = await phase(() => engineLatency(kind, maxRate / 2));
    const floor = await phase(() => floorLatency(maxRate / 2, 1000 / maxRate));
    rounds.push({ engine, floor });
  }
  const medianOf = (pick: (round: Round) => Latency): Latency => ({
    p50: median(rounds.map((round) => pick(round).p50)),
    p99: median(rounds.map((round) => pick(round).p99)),
    count: pick(rounds[0] as Round).count,
  });
  return { engine: medianOf((r) => r.engine), floor: medianOf((r) => r.floor), rounds };
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
const latency = await latencyRounds('memory', throughput);
const lmdbThroughput = await phase(() => engineThroughput('lmdb'));
const lmdbLatency = await latencyRounds('lmdb', lmdbThroughput);
const flood = await phase(floodFigure);

const metrics = {
  messagesPerSecond: Math.round(throughput),
  baselineMessagesPerSecond: Math.round(baseline),
  // The whole time from a message's arrival to its reply, through the engine (medians of rounds).
  p50AddedLatencyMs: ms(latency.engine.p50),
  p99AddedLatencyMs: ms(latency.engine.p99),
  // The floor at the same rate: a stand-in of the engine's cost that allocates nothing.
  floorP50LatencyMs: ms(latency.floor.p50),
  floorP99LatencyMs: ms(latency.floor.p99),
  latencySamples: latency.engine.count,
  latencyRounds: ROUNDS,
  latencyRatePerSecond: Math.round(throughput / 2),
  floodWorstHonestWaitSlots: flood,
  lmdbMessagesPerSecond: Math.round(lmdbThroughput),
  lmdbP50AddedLatencyMs: ms(lmdbLatency.engine.p50),
  lmdbP99AddedLatencyMs: ms(lmdbLatency.engine.p99),
  // On LMDB part of the engine's time per message is waiting for disk, which the stand-in spins.
  lmdbFloorP99LatencyMs: ms(lmdbLatency.floor.p99),
};
const ratios = {
  engineVsDirect: Number((throughput / baseline).toFixed(3)),
  p99EngineVsFloor: Number((latency.engine.p99 / latency.floor.p99).toFixed(3)),
  lmdbVsMemoryStore: Number((lmdbThroughput / throughput).toFixed(3)),
};
const met =
  metrics.messagesPerSecond >= TARGETS.messagesPerSecond &&
  metrics.p99AddedLatencyMs <= TARGETS.p99AddedLatencyMs &&
  metrics.floodWorstHonestWaitSlots < TARGETS.floodWorstHonestWaitSlots;
function ms(value: number): number {
  return Number(value.toFixed(3));
}
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
  // Every latency round's figures, in order, for judging the spread behind the medians.
  rounds: { memory: latency.rounds, lmdb: lmdbLatency.rounds },
};
writeBenchResult(result);
console.table({
  'messages/s (engine)': { value: metrics.messagesPerSecond, target: `>= ${TARGETS.messagesPerSecond}` },
  'messages/s (direct baseline)': { value: metrics.baselineMessagesPerSecond, target: '' },
  'engine / direct': { value: ratios.engineVsDirect, target: '' },
  'p50 added latency ms': { value: metrics.p50AddedLatencyMs, target: '' },
  'p99 added latency ms': { value: metrics.p99AddedLatencyMs, target: `<= ${TARGETS.p99AddedLatencyMs}` },
  'p99 latency ms, floor (same rate and cost)': { value: metrics.floorP99LatencyMs, target: '' },
  'p99 engine / floor': { value: ratios.p99EngineVsFloor, target: '' },
  'messages/s (LMDB store)': { value: metrics.lmdbMessagesPerSecond, target: '' },
  'p99 added latency ms (LMDB store)': { value: metrics.lmdbP99AddedLatencyMs, target: '' },
  'p99 latency ms, floor (LMDB rate and cost)': { value: metrics.lmdbFloorP99LatencyMs, target: '' },
  'flood: flooder replies before the 9th other': {
    value: flood,
    target: `< ${TARGETS.floodWorstHonestWaitSlots}`,
  },
});
console.log(met ? 'engine bench: targets met' : 'engine bench: targets NOT met');
