/**
 * `pnpm bench engine`: what the engine adds on top of an instant backend.
 *
 * - throughput: messages answered end to end per second through transport → engine →
 *   scheduler → backend → reply, against a baseline in the same run that calls the same backend
 *   and transport directly (no routing, dedupe, history, scheduling); each the median of
 *   BENCH_THROUGHPUT_PASSES passes (default 5) on fresh bots. One pass takes about a second, and
 *   on a shared VM the CPU's speed changes from one second to the next: single passes of the same
 *   engine on a 2-vCPU VM measured from 15,000 to 29,000 messages/s (the CPU time of a pass
 *   varied as much, its garbage collection did not), so a single pass made "half the maximum"
 *   anything from a third to two thirds of what the engine sustains;
 * - added latency p50/p99 at half the maximum rate (open loop; each round measures the maximum
 *   again just before it, in 3 passes: see `latencyRounds`), over BENCH_LATENCY_SECONDS (default
 *   20), the median of BENCH_ROUNDS rounds (default 3), with the share of the window the main
 *   thread was busy (its event-loop utilization: about a half at half load). Each round starts a
 *   fresh bot, so a short window holds just the first full collection after the start (about 2 s in
 *   at 20,000 messages/s) and says little of a bot that has run for a while: the 20 s window is a
 *   steady state, with full collections in it (one as the bot ships, 8 to 15 with `heapGrowth:
 *   v8`), each leaving a backlog the engine must catch up on. (With 6 s windows, the default until the intake gate came, the p99 of the same build
 *   looked better than it was: over 20 s, twelve runs at 20,000 messages/s without the gate ranged
 *   from 1.8 to 81 ms, and two never caught up.) Each round measures the bot as it ships
 *   (`engine.heapGrowth` at its default), then the same harness at the same rate driving a stand-in
 *   that does a fixed amount of CPU work per message, the engine's mean time per message at full
 *   load (its inverse throughput) on this machine at its median speed, and allocates nothing: the
 *   latency any engine of that cost would show on this machine, so the machine's own stalls and
 *   slow spells (a small VM loses the CPU for several ms now and then, and at half load every stall
 *   leaves a backlog) are told apart from the engine's. Last, the bot again with `heapGrowth: v8`
 *   (V8's own heap sizing), for what that setting buys and costs: full collections in the window
 *   and the peak heap. The whole bench runs with the V8 helper threads `confab run` gives a bot on
 *   this machine (`v8PoolSizeFor` its CPUs, through `--v8-pool-size`); where that differs from
 *   Node's default, each round also measures the shipped bot in a second process with Node's
 *   default, for what the smaller pool buys (both without V8's memory reducer: see
 *   `benchNodeOptions`). Then the shipped bot admitting every message at once
 *   (`engine.intake.concurrency: 0`), for what the intake gate buys;
 * - the flood figure: how many of a flooding user's replies go out before the last of 9 other
 *   users is answered (2 workers).
 *
 * Writes bench-results/engine.json and prints a table.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import {
  applyHeapGrowth,
  engineSchema,
  type HeapGrowth,
  LmdbStore,
  MemoryStore,
  NODE_DEFAULT_V8_POOL_SIZE,
  type Store,
  v8PoolSizeFor,
} from '@confab/core';
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
const THROUGHPUT_PASSES = Number(process.env.BENCH_THROUGHPUT_PASSES ?? 5);
/** Throughput passes before each latency round, whose median sets that round's rate. */
const ROUND_THROUGHPUT_PASSES = 3;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
/** What a bot ships with: the config's default `engine.heapGrowth`. */
const SHIPPED_HEAP_GROWTH: HeapGrowth = engineSchema.parse({}).heapGrowth;
/** What `confab run` gives a bot on this machine: `--v8-pool-size`, V8's helper threads. */
const SHIPPED_V8_POOL_SIZE = v8PoolSizeFor(availableParallelism());
/** Set in the second process that measures the bot with Node's default pool. */
const NODE_DEFAULT_POOL_ROLE = 'node-default-pool';
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

/** How the engine admits messages: as shipped, or all at once (`engine.intake.concurrency: 0`). */
type Intake = 'shipped' | 'unlimited';

function quietBot(kind: StoreKind, heapGrowth: HeapGrowth = SHIPPED_HEAP_GROWTH, intake: Intake = 'shipped') {
  return createTestBot({
    store: benchStore(kind),
    config: {
      engine: { heapGrowth, ...(intake === 'unlimited' ? { intake: { concurrency: 0 } } : {}) },
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

/** Messages per second: the median of {@link THROUGHPUT_PASSES} passes, and every pass. */
interface Throughput {
  readonly median: number;
  readonly passes: number[];
}

/** Runs `pass` `count` times, each after the last one's garbage is collected. */
async function throughput(pass: () => Promise<number>, count = THROUGHPUT_PASSES): Promise<Throughput> {
  const passes: number[] = [];
  for (let i = 0; i < count; i++) passes.push(await phase(pass));
  return { median: median(passes), passes };
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

/** What the main thread and the garbage collector did while a window was measured. */
interface WindowWatch {
  /** The share of the window the main thread was busy (event-loop utilization), 0–1. */
  readonly busy: number;
  /** Full (mark-compact) collections. */
  readonly fullGcs: number;
  /** Main-thread time in them and in their incremental marking steps, ms. */
  readonly fullGcPauseMs: number;
  /** The largest heap V8 had reserved, MB. */
  readonly peakHeapMb: number;
}

const { NODE_PERFORMANCE_GC_MAJOR, NODE_PERFORMANCE_GC_INCREMENTAL } = constants;

/**
 * Watches the main thread's busy share, full collections and the heap's size until the returned
 * function is called.
 */
function watchWindow(): () => WindowWatch {
  let fullGcs = 0;
  let fullGcPauseMs = 0;
  const count = (entries: PerformanceEntry[]) => {
    for (const entry of entries) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === NODE_PERFORMANCE_GC_MAJOR) fullGcs++;
      if (kind === NODE_PERFORMANCE_GC_MAJOR || kind === NODE_PERFORMANCE_GC_INCREMENTAL)
        fullGcPauseMs += entry.duration;
    }
  };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, getHeapStatistics().total_heap_size);
  };
  const sampler = setInterval(sample, 50);
  const loopAtStart = performance.eventLoopUtilization();
  return () => {
    const busy = performance.eventLoopUtilization(loopAtStart).utilization;
    clearInterval(sampler);
    sample();
    count(observer.takeRecords());
    observer.disconnect();
    return { busy, fullGcs, fullGcPauseMs, peakHeapMb: peak / 1e6 };
  };
}

/**
 * Latency through the engine at `rate` messages/s, on a fresh bot: warm-up, a quarter second at
 * the rate, then {@link LATENCY_SECONDS} measured.
 */
async function engineLatency(
  kind: StoreKind,
  rate: number,
  heapGrowth: HeapGrowth,
  intake: Intake = 'shipped',
): Promise<Latency & WindowWatch> {
  const { bot, transport } = quietBot(kind, heapGrowth, intake);
  await bot.start();
  const send = (i: number) => transport.inject(message(i));
  // Steady state: the first messages of a run pay for compiling the hot paths, and the first
  // fraction of a second at a steady rate for sizing the young generation to it.
  await pool(2_000, 16, (i) => send(1_000_000 + i));
  await openLoop(send, rate, Math.round(rate / 4), 2_000_000);
  const watched = watchWindow();
  const latencies = await openLoop(send, rate, Math.round(rate * LATENCY_SECONDS), 0);
  const inWindow = watched();
  await bot.stop(1000);
  return { ...quantiles(latencies), ...inWindow };
}

/** Where {@link work} leaves its result, so the compiler cannot leave any step out. */
const workResult = new Int32Array(1);

/** Fixed CPU work: `units` steps of integer arithmetic, allocating nothing. */
function work(units: number): void {
  let x = workResult[0] as number;
  for (let i = 0; i < units; i++) x = (Math.imul(x, 31) + i) | 0;
  workResult[0] = x;
}

/**
 * {@link work} units per ms at this machine's median speed: 1 ms samples spread over about a
 * second, as the VM's speed changes over one.
 */
async function calibrateWork(): Promise<number> {
  const units = 100_000;
  for (let i = 0; i < 20; i++) work(units); // compiled before it is timed
  const rates: number[] = [];
  for (let i = 0; i < 100; i++) {
    const start = performance.now();
    work(units);
    rates.push(units / (performance.now() - start));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return median(rates);
}

/**
 * The machine's floor: the same harness and rate, but each message only does `costMs` of fixed
 * CPU work (the engine's mean time per message at full load, in {@link work} units at
 * `unitsPerMs`) and allocates nothing. Fixed work rather than a spin for `costMs`: a slow spell
 * of the machine makes it slower, as it makes the engine slower.
 */
async function floorLatency(
  rate: number,
  costMs: number,
  unitsPerMs: number,
): Promise<Latency & WindowWatch> {
  const units = Math.round(costMs * unitsPerMs);
  const send = async (_i: number) => {
    work(units);
  };
  await openLoop(send, rate, Math.round(rate / 4), 0);
  const watched = watchWindow();
  const latencies = await openLoop(send, rate, Math.round(rate * LATENCY_SECONDS), 0);
  return { ...quantiles(latencies), ...watched() };
}

interface Round {
  /** The round's rate: half the median of the throughput passes just before it. */
  readonly rate: number;
  readonly engine: Latency & WindowWatch;
  readonly floor: Latency & WindowWatch;
  /** The engine with V8's own heap sizing (`heapGrowth: v8`); memory-store rounds only. */
  readonly v8HeapGrowth?: Latency & WindowWatch;
  /** The engine as shipped, in a process with Node's default V8 pool; memory-store rounds only. */
  readonly nodeDefaultPool?: Latency & WindowWatch;
  /** The engine admitting every message at once (no intake gate); memory-store rounds only. */
  readonly unlimitedIntake?: Latency & WindowWatch;
}

type Figures = Latency & WindowWatch;

interface LatencyRounds {
  /** Medians over the rounds. */
  readonly rate: number;
  readonly engine: Figures;
  readonly floor: Figures;
  readonly v8HeapGrowth: Figures | undefined;
  readonly nodeDefaultPool: Figures | undefined;
  readonly unlimitedIntake: Figures | undefined;
  /** Every round's figures, in order. */
  readonly rounds: Round[];
}

/**
 * {@link ROUNDS} rounds, each at half the throughput `maxRate` measures just before it: the
 * engine, the floor and, when comparing (memory store), the engine with V8's own heap sizing and
 * the engine in `nodeDefaultPool`'s process, alternating so all see the same spells of a noisy
 * machine. The rate is measured again for each round, close to its windows, because the passes'
 * speed varies from minute to minute on a shared VM: one run's opening passes measured 37,700
 * messages/s, another's 24,500 with the same engine. It does not make every round's main thread
 * half busy: in one run, two rounds measured 36,400 messages/s and their windows at half of it kept
 * the main thread 68 % busy (the floor 51 %). A steady stream costs the engine more main-thread
 * time per message than the passes do, the more so the slower it comes (a probe, after warm-up:
 * 46 µs per message at a quarter of the passes' rate, 36–39 µs at half, 34 µs at 0.9, against
 * 24–38 µs in the passes), and the passes' own figure depends on how many messages they keep in
 * flight (8: 38,000–55,000 messages/s; 256, as here: 33,000–43,000; 1,024: 29,000–38,000). The
 * floor's fixed arithmetic pays no such extra. Read the busy share beside the p99.
 */
async function latencyRounds(
  kind: StoreKind,
  maxRate: () => Promise<number>,
  workUnitsPerMs: number,
  compare: { nodeDefaultPool: PoolHelper | undefined } | undefined,
): Promise<LatencyRounds> {
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const max = (await throughput(maxRate, ROUND_THROUGHPUT_PASSES)).median;
    const rate = max / 2;
    const costMs = 1000 / max;
    const engine = await phase(() => engineLatency(kind, rate, SHIPPED_HEAP_GROWTH), SHIPPED_HEAP_GROWTH);
    const floor = await phase(() => floorLatency(rate, costMs, workUnitsPerMs));
    const v8HeapGrowth = compare ? await phase(() => engineLatency(kind, rate, 'v8'), 'v8') : undefined;
    const nodeDefaultPool = await compare?.nodeDefaultPool?.latency(rate);
    const unlimitedIntake = compare
      ? await phase(() => engineLatency(kind, rate, SHIPPED_HEAP_GROWTH, 'unlimited'), SHIPPED_HEAP_GROWTH)
      : undefined;
    rounds.push({
      rate,
      engine,
      floor,
      ...(v8HeapGrowth ? { v8HeapGrowth } : {}),
      ...(nodeDefaultPool ? { nodeDefaultPool } : {}),
      ...(unlimitedIntake ? { unlimitedIntake } : {}),
    });
  }
  const medianOf = (pick: (round: Round) => Figures | undefined): Figures | undefined => {
    const picked = rounds.map(pick).filter((f): f is Figures => f !== undefined);
    if (picked.length === 0) return undefined;
    const of = (field: keyof Figures) => median(picked.map((f) => f[field]));
    return {
      p50: of('p50'),
      p99: of('p99'),
      count: (picked[0] as Figures).count,
      busy: of('busy'),
      fullGcs: of('fullGcs'),
      fullGcPauseMs: of('fullGcPauseMs'),
      peakHeapMb: of('peakHeapMb'),
    };
  };
  return {
    rate: median(rounds.map((r) => r.rate)),
    engine: medianOf((r) => r.engine) as Figures,
    floor: medianOf((r) => r.floor) as Figures,
    v8HeapGrowth: medianOf((r) => r.v8HeapGrowth),
    nodeDefaultPool: medianOf((r) => r.nodeDefaultPool),
    unlimitedIntake: medianOf((r) => r.unlimitedIntake),
    rounds,
  };
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

/**
 * Each phase starts with the garbage of the previous ones collected (run with --expose-gc). A
 * phase that runs a bot with another `heapGrowth` than the last one gets it before that
 * collection, which sets the limit of the next: the bot applies it too, but only once started.
 */
async function phase<T>(run: () => Promise<T>, heapGrowth?: HeapGrowth): Promise<T> {
  if (heapGrowth !== undefined) applyHeapGrowth(heapGrowth);
  (globalThis as { gc?: () => void }).gc?.();
  return run();
}

/** The second process: the shipped bot's latency with Node's default V8 pool, on request. */
interface PoolHelper {
  latency(rate: number): Promise<Latency & WindowWatch>;
  close(): void;
}

/**
 * The Node options a bench process runs with: the V8 pool, and no memory reducer. The memory
 * reducer starts full collections in a process that has gone quiet; the bench's two processes go
 * quiet in turn while the other measures, and one's idle collections would land in the other's
 * window. A bot under load never goes quiet, so it never meets one there.
 */
function benchNodeOptions(poolSize: number): string[] {
  return [`--v8-pool-size=${poolSize}`, '--no-memory-reducer'];
}

/** Node options to run this file again (tsx's loader included) with `benchNodeOptions`. */
function benchArgs(poolSize: number): string[] {
  const options = process.execArgv.filter(
    (o) => !o.startsWith('--v8-pool-size') && o !== '--no-memory-reducer',
  );
  return [...options, ...benchNodeOptions(poolSize), process.argv[1] as string];
}

/** Starts the helper and resolves once it has warmed up (it measures throughput once first). */
async function startPoolHelper(poolSize: number): Promise<PoolHelper> {
  const child: ChildProcess = spawn(process.execPath, benchArgs(poolSize), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, CONFAB_BENCH_ROLE: NODE_DEFAULT_POOL_ROLE },
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`pool helper exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  await next();
  return {
    async latency(rate) {
      const reply = next();
      child.send({ rate });
      return (await reply) as Latency & WindowWatch;
    },
    close: () => child.disconnect(),
  };
}

/** The helper's side: warm up, say so, then measure each requested rate. */
async function servePoolHelper(): Promise<void> {
  await phase(() => engineThroughput('memory'));
  process.on('message', (request: { rate: number }) => {
    void phase(() => engineLatency('memory', request.rate, SHIPPED_HEAP_GROWTH), SHIPPED_HEAP_GROWTH).then(
      (figures) => process.send?.(figures),
    );
  });
  process.send?.('ready');
}

if (process.env.CONFAB_BENCH_ROLE === NODE_DEFAULT_POOL_ROLE) {
  await servePoolHelper();
} else if (!benchNodeOptions(SHIPPED_V8_POOL_SIZE).every((o) => process.execArgv.includes(o))) {
  // Measure the bot with the V8 pool `confab run` gives it here.
  const rerun = spawnSync(process.execPath, benchArgs(SHIPPED_V8_POOL_SIZE), { stdio: 'inherit' });
  process.exit(rerun.status ?? 1);
} else {
  await runBench();
}

async function runBench(): Promise<void> {
  const workUnitsPerMs = await calibrateWork();
  const baselinePasses = await throughput(baselineThroughput);
  const enginePasses = await throughput(() => engineThroughput('memory'));
  const baseline = baselinePasses.median;
  const engineRate = enginePasses.median;
  const nodeDefaultPool =
    SHIPPED_V8_POOL_SIZE === NODE_DEFAULT_V8_POOL_SIZE
      ? undefined
      : await startPoolHelper(NODE_DEFAULT_V8_POOL_SIZE);
  const latency = await latencyRounds('memory', () => engineThroughput('memory'), workUnitsPerMs, {
    nodeDefaultPool,
  });
  nodeDefaultPool?.close();
  const lmdbPasses = await throughput(() => engineThroughput('lmdb'));
  const lmdbRate = lmdbPasses.median;
  const lmdbLatency = await latencyRounds('lmdb', () => engineThroughput('lmdb'), workUnitsPerMs, undefined);
  const flood = await phase(floodFigure);

  const v8Growth = latency.v8HeapGrowth as Figures;
  const unlimitedIntake = latency.unlimitedIntake as Figures;
  const metrics = {
    messagesPerSecond: Math.round(engineRate),
    // The spread of the passes behind that median.
    messagesPerSecondSlowestPass: Math.round(Math.min(...enginePasses.passes)),
    messagesPerSecondFastestPass: Math.round(Math.max(...enginePasses.passes)),
    baselineMessagesPerSecond: Math.round(baseline),
    // The whole time from a message's arrival to its reply, through the engine (medians of rounds).
    p50AddedLatencyMs: ms(latency.engine.p50),
    p99AddedLatencyMs: ms(latency.engine.p99),
    // The floor at the same rate: a stand-in of the engine's cost that allocates nothing.
    floorP50LatencyMs: ms(latency.floor.p50),
    floorP99LatencyMs: ms(latency.floor.p99),
    latencySamples: latency.engine.count,
    latencyRounds: ROUNDS,
    latencyRatePerSecond: Math.round(latency.rate),
    // The share of the window the main thread was busy: the load the rate put on it.
    busyInWindow: ms(latency.engine.busy),
    floorBusyInWindow: ms(latency.floor.busy),
    // What the garbage collector did in a measured window (medians of rounds), as the bot ships...
    fullGcsPerWindow: latency.engine.fullGcs,
    fullGcPauseMsPerWindow: ms(latency.engine.fullGcPauseMs),
    peakHeapMb: ms(latency.engine.peakHeapMb),
    // ...and with V8's own heap sizing (`engine.heapGrowth: v8`).
    v8HeapGrowthP50AddedLatencyMs: ms(v8Growth.p50),
    v8HeapGrowthP99AddedLatencyMs: ms(v8Growth.p99),
    v8HeapGrowthFullGcsPerWindow: v8Growth.fullGcs,
    v8HeapGrowthFullGcPauseMsPerWindow: ms(v8Growth.fullGcPauseMs),
    v8HeapGrowthPeakHeapMb: ms(v8Growth.peakHeapMb),
    // ...and as shipped but with Node's default V8 pool, where `confab run` gives it a smaller one.
    nodeDefaultPoolP99AddedLatencyMs: poolFigure(latency.nodeDefaultPool?.p99),
    nodeDefaultPoolFullGcPauseMsPerWindow: poolFigure(latency.nodeDefaultPool?.fullGcPauseMs),
    // ...and as shipped but admitting every message at once (`engine.intake.concurrency: 0`).
    unlimitedIntakeP50AddedLatencyMs: ms(unlimitedIntake.p50),
    unlimitedIntakeP99AddedLatencyMs: ms(unlimitedIntake.p99),
    floodWorstHonestWaitSlots: flood,
    lmdbMessagesPerSecond: Math.round(lmdbRate),
    lmdbLatencyRatePerSecond: Math.round(lmdbLatency.rate),
    lmdbP50AddedLatencyMs: ms(lmdbLatency.engine.p50),
    lmdbP99AddedLatencyMs: ms(lmdbLatency.engine.p99),
    // On LMDB part of the engine's time per message is waiting for disk, which the stand-in spins.
    lmdbFloorP99LatencyMs: ms(lmdbLatency.floor.p99),
  };
  const ratios = {
    engineVsDirect: Number((engineRate / baseline).toFixed(3)),
    p99EngineVsFloor: Number((latency.engine.p99 / latency.floor.p99).toFixed(3)),
    lmdbVsMemoryStore: Number((lmdbRate / engineRate).toFixed(3)),
    p99V8HeapGrowthVsShipped: Number((v8Growth.p99 / latency.engine.p99).toFixed(3)),
    p99NodeDefaultPoolVsShipped:
      latency.nodeDefaultPool === undefined
        ? null
        : Number((latency.nodeDefaultPool.p99 / latency.engine.p99).toFixed(3)),
    p99UnlimitedIntakeVsShipped: Number((unlimitedIntake.p99 / latency.engine.p99).toFixed(3)),
    peakHeapShippedVsV8HeapGrowth: Number((latency.engine.peakHeapMb / v8Growth.peakHeapMb).toFixed(3)),
  };
  const met =
    metrics.messagesPerSecond >= TARGETS.messagesPerSecond &&
    metrics.p99AddedLatencyMs <= TARGETS.p99AddedLatencyMs &&
    metrics.floodWorstHonestWaitSlots < TARGETS.floodWorstHonestWaitSlots;
  function ms(value: number): number {
    return Number(value.toFixed(3));
  }
  function poolFigure(value: number | undefined): number | null {
    return value === undefined ? null : ms(value);
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
      latencySeconds: LATENCY_SECONDS,
      throughputPasses: THROUGHPUT_PASSES,
      floorWorkUnitsPerMs: Math.round(workUnitsPerMs),
      heapGrowth: SHIPPED_HEAP_GROWTH,
      v8PoolSize: SHIPPED_V8_POOL_SIZE,
      nodeOptions: benchNodeOptions(SHIPPED_V8_POOL_SIZE).join(' '),
      cpus: availableParallelism(),
      backend: 'scripted, instant',
      targetsMeasuredOn: 'memory store',
    },
    metrics,
    ratios,
    targets: TARGETS,
    met,
    // Every throughput pass and latency round, in order, for judging the spread behind the medians.
    throughputPasses: {
      baseline: baselinePasses.passes,
      memory: enginePasses.passes,
      lmdb: lmdbPasses.passes,
    },
    rounds: { memory: latency.rounds, lmdb: lmdbLatency.rounds },
  };
  writeBenchResult(result);
  console.table({
    'messages/s (engine)': { value: metrics.messagesPerSecond, target: `>= ${TARGETS.messagesPerSecond}` },
    'messages/s, slowest and fastest pass': {
      value: `${metrics.messagesPerSecondSlowestPass} / ${metrics.messagesPerSecondFastestPass}`,
      target: '',
    },
    'messages/s (direct baseline)': { value: metrics.baselineMessagesPerSecond, target: '' },
    'engine / direct': { value: ratios.engineVsDirect, target: '' },
    'latency window rate msg/s (half the throughput before each round)': {
      value: metrics.latencyRatePerSecond,
      target: '',
    },
    'p50 added latency ms': { value: metrics.p50AddedLatencyMs, target: '' },
    'p99 added latency ms': { value: metrics.p99AddedLatencyMs, target: `<= ${TARGETS.p99AddedLatencyMs}` },
    'p99 latency ms, floor (same rate and cost)': { value: metrics.floorP99LatencyMs, target: '' },
    'p99 engine / floor': { value: ratios.p99EngineVsFloor, target: '' },
    'main thread busy in window, engine / floor': {
      value: `${metrics.busyInWindow} / ${metrics.floorBusyInWindow}`,
      target: '',
    },
    'full GCs per window / their pauses ms': {
      value: `${metrics.fullGcsPerWindow} / ${metrics.fullGcPauseMsPerWindow}`,
      target: '',
    },
    'peak heap MB': { value: metrics.peakHeapMb, target: '' },
    'p99 ms, heapGrowth v8': { value: metrics.v8HeapGrowthP99AddedLatencyMs, target: '' },
    'full GCs per window / pauses ms, heapGrowth v8': {
      value: `${metrics.v8HeapGrowthFullGcsPerWindow} / ${metrics.v8HeapGrowthFullGcPauseMsPerWindow}`,
      target: '',
    },
    'peak heap MB, heapGrowth v8': { value: metrics.v8HeapGrowthPeakHeapMb, target: '' },
    [`p99 ms, Node's default V8 pool (shipped: ${SHIPPED_V8_POOL_SIZE})`]: {
      value: metrics.nodeDefaultPoolP99AddedLatencyMs ?? 'same as shipped',
      target: '',
    },
    "full GC pauses ms per window, Node's default V8 pool": {
      value: metrics.nodeDefaultPoolFullGcPauseMsPerWindow ?? 'same as shipped',
      target: '',
    },
    'p99 ms, every message admitted at once (intake concurrency 0)': {
      value: metrics.unlimitedIntakeP99AddedLatencyMs,
      target: '',
    },
    'messages/s (LMDB store)': { value: metrics.lmdbMessagesPerSecond, target: '' },
    'p99 added latency ms (LMDB store)': { value: metrics.lmdbP99AddedLatencyMs, target: '' },
    'p99 latency ms, floor (LMDB rate and cost)': { value: metrics.lmdbFloorP99LatencyMs, target: '' },
    'flood: flooder replies before the 9th other': {
      value: flood,
      target: `< ${TARGETS.floodWorstHonestWaitSlots}`,
    },
  });
  console.log(met ? 'engine bench: targets met' : 'engine bench: targets NOT met');
}
