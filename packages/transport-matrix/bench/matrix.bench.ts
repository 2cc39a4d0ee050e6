/**
 * `pnpm bench matrix`: confab's Matrix transport through a real Synapse (scripts/peers/synapse.sh)
 * with an instant scripted backend.
 *
 * - confab: p50/p99 from a user's message (before the send request) to the user receiving the
 *   mate's reply by `/sync` (send → Synapse → the mate's sync → engine → history read → reply →
 *   Synapse → the user's sync);
 * - baseline, measured in the same run and interleaved sample by sample: Synapse's own round
 *   trip, user A sends and user B receives the message by `/sync`.
 *
 * The confab path crosses Synapse twice, so the figure to watch is the overhead over two
 * baseline trips. One message in flight at a time; rate limits are raised by the script.
 * Writes bench-results/matrix.json and prints a table.
 */
import 'reflect-metadata';
import { MemoryStore } from '@confab/core';
import { benchMachine, writeBenchResult } from '@confab/testkit';
import type { MatrixEvent } from '../src/matrix-event.js';
import { createMatrixBot } from '../test/helpers/matrix-bot.js';
import { MatrixUser, unique } from '../test/helpers/matrix-user.js';
import { startSynapse } from '@confab/testkit/synapse';

process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.no_proxy = '127.0.0.1,localhost';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100);
const WARMUP = 5;
const TARGETS = { p99ReplyMs: 1000, overheadP50Ms: 100 };

/** A user's `/sync` long-poll loop that reports each new room message with its arrival time. */
class SyncWatcher {
  private since: string | undefined;
  private stopped = false;
  private waiters: { match: (e: MatrixEvent) => boolean; resolve: (at: number) => void }[] = [];
  private loop: Promise<void> | undefined;

  constructor(private readonly user: MatrixUser) {}

  async start(): Promise<void> {
    const filter = JSON.stringify({ room: { timeline: { limit: 0 } } });
    const first = await this.user.request<{ next_batch: string }>(
      'GET',
      `/_matrix/client/v3/sync?timeout=0&filter=${encodeURIComponent(filter)}&set_presence=offline&_=${unique()}`,
    );
    this.since = first.next_batch;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const filter = encodeURIComponent(JSON.stringify({ room: { timeline: { types: ['m.room.message'] } } }));
    while (!this.stopped) {
      const body = await this.user.request<{
        next_batch: string;
        rooms?: { join?: Record<string, { timeline?: { events?: MatrixEvent[] } }> };
      }>(
        'GET',
        `/_matrix/client/v3/sync?timeout=5000&since=${this.since}&filter=${filter}&set_presence=offline`,
      );
      const at = performance.now();
      this.since = body.next_batch;
      for (const room of Object.values(body.rooms?.join ?? {})) {
        for (const event of room.timeline?.events ?? []) {
          this.waiters = this.waiters.filter((w) => {
            if (!w.match(event)) return true;
            w.resolve(at);
            return false;
          });
        }
      }
    }
  }

  /** Resolves with the arrival time of the first message matching; register before sending. */
  next(match: (e: MatrixEvent) => boolean, timeoutMs = 30_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message within the timeout')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<number> {
  const started = await startSynapse();
  if ('missing' in started) {
    console.error(`bench matrix: peer missing: ${started.missing}`);
    return 1;
  }
  const synapse = started.info;
  const id = unique();
  const alice = await MatrixUser.register(synapse, `alice-bench-${id}`);
  const bob = await MatrixUser.register(synapse, `bob-bench-${id}`);
  const ada = await MatrixUser.register(synapse, `ada-bench-${id}`);
  const { bot } = createMatrixBot({
    transport: {
      homeserver: synapse.url,
      accounts: [{ mate: 'ada', accessToken: ada.accessToken }],
      syncTimeoutMs: 5000,
    },
    mates: [{ name: 'ada', backend: 'scripted', profile: 'default' }],
    profiles: { default: { reply: 'ok' } },
    store: new MemoryStore(),
  });
  const aliceSync = new SyncWatcher(alice);
  const bobSync = new SyncWatcher(bob);
  const confab: number[] = [];
  const baseline: number[] = [];
  try {
    await bot.start();
    const dm = await alice.createRoom({ invite: [ada.userId], isDirect: true });
    const pair = await alice.createRoom({ invite: [bob.userId] });
    await bob.join(pair);
    await alice.waitForMembership(dm, ada.userId);
    await aliceSync.start();
    await bobSync.start();

    for (let i = 0; i < WARMUP + MESSAGES; i++) {
      // Baseline: A sends, B receives by sync.
      const text = `b${i}`;
      const seenByBob = bobSync.next((e) => e.sender === alice.userId && e.content.body === text);
      const t0 = performance.now();
      await alice.sendText(pair, text);
      const baselineMs = (await seenByBob) - t0;

      // confab: A sends to the mate, A receives the mate's reply by sync.
      let asked = '';
      const replied = aliceSync.next(
        (e) =>
          e.sender === ada.userId &&
          (e.content['m.relates_to'] as { 'm.in_reply_to'?: { event_id?: string } } | undefined)?.[
            'm.in_reply_to'
          ]?.event_id === asked,
      );
      const t1 = performance.now();
      asked = await alice.sendText(dm, `m${i}`);
      const confabMs = (await replied) - t1;
      if (i >= WARMUP) {
        baseline.push(baselineMs);
        confab.push(confabMs);
      }
    }
  } finally {
    await aliceSync.stop().catch(() => undefined);
    await bobSync.stop().catch(() => undefined);
    await bot.stop(1000);
    await started.stop();
  }

  const metrics = {
    confabP50Ms: round(percentile(confab, 50)),
    confabP99Ms: round(percentile(confab, 99)),
    synapseRoundTripP50Ms: round(percentile(baseline, 50)),
    synapseRoundTripP99Ms: round(percentile(baseline, 99)),
  };
  const overheadP50Ms = round(metrics.confabP50Ms - 2 * metrics.synapseRoundTripP50Ms);
  const ratios = {
    confabToRoundTripP50: round(metrics.confabP50Ms / metrics.synapseRoundTripP50Ms),
    confabToTwoRoundTripsP50: round(metrics.confabP50Ms / (2 * metrics.synapseRoundTripP50Ms)),
  };
  const met = metrics.confabP99Ms <= TARGETS.p99ReplyMs && overheadP50Ms <= TARGETS.overheadP50Ms;
  const result = {
    name: 'matrix',
    machine: benchMachine(),
    params: {
      messages: MESSAGES,
      warmup: WARMUP,
      inFlight: 1,
      backend: 'scripted (instant, "ok")',
      synapse: synapse.url,
    },
    metrics: { ...metrics, overheadP50Ms },
    ratios,
    targets: TARGETS,
    met,
  };
  writeBenchResult(result);
  console.table({
    'confab (message → mate reply)': { p50: metrics.confabP50Ms, p99: metrics.confabP99Ms },
    'Synapse round trip (A → B)': { p50: metrics.synapseRoundTripP50Ms, p99: metrics.synapseRoundTripP99Ms },
  });
  console.log(
    `overhead over two round trips (p50): ${overheadP50Ms} ms; confab/round trip p50: ${ratios.confabToRoundTripP50}x; targets ${JSON.stringify(TARGETS)}: ${met ? 'met' : 'NOT met'}`,
  );
  return 0;
}

process.exit(await main());
