/**
 * `pnpm bench engine`: a smoke figure of what the engine adds on top of an instant backend.
 *
 * Messages go through the testkit's memory transport and an instant scripted backend, so every
 * millisecond measured is confab's own: routing, dedupe, history, scheduling and the reply.
 *
 * - throughput: messages answered per second, closed loop with {@link IN_FLIGHT} at once;
 * - added latency p50/p99: from a message's arrival to its reply being sent, open loop at a rate
 *   far below that throughput (a bot is rarely saturated), so queueing does not dominate.
 *
 * The targets are loose on purpose: this catches a gross regression, it does not tune anything.
 * How the path a user feels behaves on real platforms is `pnpm bench path`'s job.
 * Writes bench-results/engine.json and prints a table.
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { benchMachine, createTestBot, type MemoryTransport, writeBenchResult } from '@confab/testkit';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 5);
const LATENCY_RATE = 500;
const IN_FLIGHT = 64;
const USERS = 100;
const ROOMS = 20;
const WARMUP = 1_000;
// Loose: the engine alone answers in well under a millisecond at the median, but on a small
// shared VM one stall of the process for some tens of ms (another job taking the CPU) sets the
// p99 of a 5 s window. The p99 target only catches something gross, like a timer on the path.
const TARGETS = { messagesPerSecond: 1_000, p50AddedLatencyMs: 5, p99AddedLatencyMs: 100 };

function startBot() {
  return createTestBot({
    config: {
      scheduler: { maxPerUser: 1_000, maxQueue: 10_000 },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default', history: { maxMessages: 8 } }],
    },
    // The doubles keep only recent records, so the bench does not measure its own bookkeeping.
    transport: { retain: 100 },
    profiles: { default: { workers: 4, parallel: 16, reply: 'ok' } },
    retainCalls: 100,
  });
}

const message = (i: number) => ({
  text: `@ada message ${i}`,
  from: `u:${i % USERS}`,
  roomId: `r${i % ROOMS}`,
});

/** Sends `count` messages with at most {@link IN_FLIGHT} unanswered; resolves with messages/s. */
async function closedLoop(transport: MemoryTransport, first: number, count: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < count) await transport.inject(message(first + next++));
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return count / ((performance.now() - start) / 1000);
}

/** Sends at `rate` per second whatever is still unanswered; resolves with each message's ms to its reply. */
async function openLoop(transport: MemoryTransport, first: number, rate: number, count: number) {
  const latencies: Promise<number>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = performance.now();
    latencies.push(transport.inject(message(first + i)).then(() => performance.now() - sentAt));
  }
  return Promise.all(latencies);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

const loadAverage = Number((loadavg()[0] as number).toFixed(2));
const { bot, transport } = startBot();
await bot.start();
await closedLoop(transport, 0, WARMUP);
const rate = await closedLoop(transport, WARMUP, MESSAGES);
const latencies = await openLoop(transport, WARMUP + MESSAGES, LATENCY_RATE, LATENCY_RATE * LATENCY_SECONDS);
const answered = transport.sentCount;
await bot.stop(1000);
const expected = WARMUP + MESSAGES + latencies.length;
if (answered !== expected) throw new Error(`the engine answered ${answered} of ${expected} messages`);

const metrics = {
  messagesPerSecond: Math.round(rate),
  p50AddedLatencyMs: round(percentile(latencies, 50)),
  p99AddedLatencyMs: round(percentile(latencies, 99)),
  latencySamples: latencies.length,
};
const met =
  metrics.messagesPerSecond >= TARGETS.messagesPerSecond &&
  metrics.p50AddedLatencyMs <= TARGETS.p50AddedLatencyMs &&
  metrics.p99AddedLatencyMs <= TARGETS.p99AddedLatencyMs;
writeBenchResult({
  name: 'engine',
  machine: benchMachine(),
  params: {
    messages: MESSAGES,
    inFlight: IN_FLIGHT,
    users: USERS,
    rooms: ROOMS,
    latencyRatePerSecond: LATENCY_RATE,
    latencySeconds: LATENCY_SECONDS,
    transport: 'testkit memory transport',
    backend: 'scripted, instant',
    store: 'memory',
    // Other work on the machine weighs on every figure here; this says how much there was.
    loadAverageAtStart: loadAverage,
  },
  metrics,
  ratios: { latencyRateOfThroughput: round(LATENCY_RATE / rate, 3) },
  targets: TARGETS,
  met,
});
console.table({
  'messages/s': { value: metrics.messagesPerSecond, target: `>= ${TARGETS.messagesPerSecond}` },
  [`p50 added latency ms at ${LATENCY_RATE}/s`]: {
    value: metrics.p50AddedLatencyMs,
    target: `<= ${TARGETS.p50AddedLatencyMs}`,
  },
  [`p99 added latency ms at ${LATENCY_RATE}/s`]: {
    value: metrics.p99AddedLatencyMs,
    target: `<= ${TARGETS.p99AddedLatencyMs}`,
  },
});
console.log(met ? 'engine bench: targets met' : 'engine bench: targets NOT met');
