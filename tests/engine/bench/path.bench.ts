/**
 * `pnpm bench path`: the path users feel, through the real client libraries.
 *
 * Discord: the real discord.js (confab's Discord transport) against the testkit's Discord
 * emulator, with Discord's own rate-limit buckets. Matrix: confab's Matrix transport
 * (matrix-bot-sdk) against a real Synapse (scripts/peers/synapse.sh), its requests passing a
 * recording proxy on 127.0.0.1. On each, {@link USERS} people talk to one mate at once for
 * BENCH_PATH_SECONDS (default 60; e.g. 10 for a quick try), each in a room of their own: say
 * something, wait for the whole reply, pause {@link THINK_MS}, say the next thing. The model is
 * the testkit's scripted backend streaming {@link REPLY_TOKENS} tokens at {@link TOKENS_PER_SECOND}
 * a second, so its first token comes well within the 1 s after which the engine shows typing.
 *
 * Per answered message it reports the platform requests the bot made for it (replies sent,
 * edits, typing, history reads, others), told apart by route and attributed to the message by
 * room and time; and the time confab adds from the inbound message (the engine's
 * `message.received`) to the backend's `generate()` call, p50/p99. Targets: no history read once
 * a conversation is warm (its first message is cold), no typing (the first token is fast), no
 * reply edited more often than the transport's `minEditIntervalMs` allows over the time its
 * tokens came in, and p50 <= 5 ms added over all messages, p99 <= 25 ms over warm ones. A
 * conversation's first message waits for the platform's history (one read, two on Matrix),
 * which is what the all-message p99 shows; it is reported beside. (On Matrix, a request the
 * engine waits for before asking the model, such as a history read, also pays the proxy's
 * loopback hop.)
 * Writes bench-results/path.json and prints a table.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchMachine, startSynapse, writeBenchResult } from '@confab/testkit';
import { type PathWorld, startDiscordWorld, startMatrixWorld } from './path-worlds.js';
import { measureTurns, TurnLog } from './path-turns.js';

const SECONDS = Number(process.env.BENCH_PATH_SECONDS ?? 60);
const USERS = 8;
const TOKENS_PER_SECOND = 20;
const REPLY_TOKENS = 40;
const THINK_MS = 500;
const TARGETS = {
  warmHistoryReadsPerMessage: 0,
  typingPerMessage: 0,
  repliesOverEditAllowance: 0,
  p50AddedMs: 5,
  warmP99AddedMs: 25,
};

const profiles = {
  default: {
    reply: Array.from({ length: REPLY_TOKENS }, (_, i) => `word${i}`).join(' '),
    chunkDelayMs: 1000 / TOKENS_PER_SECOND,
    parallel: USERS,
  },
};

/** One person's side: a message, the whole reply, a pause, until the deadline. */
async function talk(world: PathWorld, log: TurnLog, user: number, deadline: number): Promise<void> {
  for (let i = 0; performance.now() < deadline; i++) {
    const turn = log.expect(`q${user}x${i}`, world.rooms[user] as string, i === 0);
    await world.say(user, `${turn.tag} what do you think?`);
    await within(turn.answered, 30_000, `${world.name}: no reply to ${turn.tag} in 30 s`);
    await sleep(THINK_MS);
  }
}

/** `promise`, or a rejection saying `what` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(world: PathWorld): Promise<ReturnType<typeof measureTurns>> {
  const log = new TurnLog(world.bot, world.backend);
  try {
    const deadline = performance.now() + SECONDS * 1000;
    await Promise.all(Array.from({ length: USERS }, (_, user) => talk(world, log, user, deadline)));
    return measureTurns(log.turns, world.requests(), world.transport.capabilities.minEditIntervalMs);
  } finally {
    log.close();
    await world.stop();
  }
}

// matrix-bot-sdk's HTTP layer honours HTTP(S)_PROXY; every peer here is on loopback.
process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.no_proxy = '127.0.0.1,localhost';

const loadAverage = Number((loadavg()[0] as number).toFixed(2));
const synapse = await startSynapse();
if ('missing' in synapse) {
  console.error(`bench path: peer missing: ${synapse.missing}`);
  process.exit(1);
}
let discord: Awaited<ReturnType<typeof run>>;
let matrix: typeof discord;
try {
  discord = await run(await startDiscordWorld({ users: USERS, profiles }));
  const id = randomBytes(3).toString('hex');
  matrix = await run(await startMatrixWorld({ users: USERS, profiles, synapse: synapse.info, id }));
} finally {
  await synapse.stop();
}

const figures = { discord, matrix };
const meets = (f: typeof discord) =>
  f.warmHistoryReadsPerMessage <= TARGETS.warmHistoryReadsPerMessage &&
  f.typingPerMessage <= TARGETS.typingPerMessage &&
  f.repliesOverEditAllowance <= TARGETS.repliesOverEditAllowance &&
  f.p50AddedMs <= TARGETS.p50AddedMs &&
  f.warmP99AddedMs <= TARGETS.warmP99AddedMs;
const met = meets(discord) && meets(matrix);
writeBenchResult({
  name: 'path',
  machine: benchMachine(),
  params: {
    seconds: SECONDS,
    users: USERS,
    tokensPerSecond: TOKENS_PER_SECOND,
    replyTokens: REPLY_TOKENS,
    thinkMs: THINK_MS,
    // Other work on the machine weighs on every figure here; this says how much there was.
    loadAverageAtStart: loadAverage,
    discord: 'discord.js against the testkit Discord emulator, Discord rate limits',
    matrix: 'matrix-bot-sdk against Synapse through a recording proxy on 127.0.0.1',
    minEditIntervalMs: { discord: discord.minEditIntervalMs, matrix: matrix.minEditIntervalMs },
  },
  metrics: figures,
  ratios: {
    discordEditsOfAllowed: discord.editsOfAllowed,
    matrixEditsOfAllowed: matrix.editsOfAllowed,
  },
  targets: TARGETS,
  met,
});
const row = (key: keyof typeof discord, target = '') => ({
  discord: discord[key],
  matrix: matrix[key],
  target,
});
console.table({
  'messages answered (cold)': {
    discord: `${discord.answered} (${discord.cold})`,
    matrix: `${matrix.answered} (${matrix.cold})`,
    target: '',
  },
  'replies sent / message': row('repliesPerMessage'),
  'edits / message': row('editsPerMessage', 'within allowance'),
  'edits allowed / message': row('allowedEditsPerMessage'),
  'replies over edit allowance': row('repliesOverEditAllowance', `<= ${TARGETS.repliesOverEditAllowance}`),
  'typing / message': row('typingPerMessage', `<= ${TARGETS.typingPerMessage}`),
  'history reads / cold message': row('coldHistoryReadsPerMessage'),
  'history reads / warm message': row(
    'warmHistoryReadsPerMessage',
    `<= ${TARGETS.warmHistoryReadsPerMessage}`,
  ),
  'other requests / message': row('otherPerMessage'),
  'added ms p50 (inbound → generate)': row('p50AddedMs', `<= ${TARGETS.p50AddedMs}`),
  'added ms p99, all (cold read history)': row('p99AddedMs'),
  'added ms p99, warm': row('warmP99AddedMs', `<= ${TARGETS.warmP99AddedMs}`),
  'first token ms p50': row('p50FirstTokenMs'),
  'reply done ms p50 (inbound → reply.sent)': row('p50ReplyMs'),
});
console.log(
  `other routes: discord ${JSON.stringify(discord.otherRoutes)}; matrix ${JSON.stringify(matrix.otherRoutes)}`,
);
console.log(met ? 'path bench: targets met' : 'path bench: targets NOT met');
