/**
 * `pnpm bench discord`: confab's Discord transport with an instant backend, real discord.js
 * clients and the testkit's Discord emulator on 127.0.0.1.
 *
 * - throughput: messages answered end to end per second (user message → gateway → discord.js →
 *   engine → scheduler → scripted backend → REST reply), closed loop with a fixed number of
 *   conversations in flight;
 * - latency: p50/p99 from the inbound event (the emulator dispatching MESSAGE_CREATE) to the
 *   first REST call the bot makes for it (typing or the reply), open loop at half the measured
 *   rate;
 * - baseline in the same run: a bare discord.js client on the same emulator that replies to each
 *   message at once (the emulator and discord.js round trip alone), under the same load.
 *
 * Per-route buckets are raised so the figures do not measure Discord's 5-per-5-seconds channel
 * limits. The first pair of runs keeps Discord's global limit of 50 REST requests per second per
 * bot (discord.js enforces it), which bounds both: what compares there is REST calls per answered
 * message and how close each run gets to the cap. The second pair lifts the cap
 * (`globalRequestsPerSecond`) to show what confab itself costs next to bare discord.js.
 * Writes bench-results/discord.json and prints a table.
 */
import 'reflect-metadata';
import { MemoryStore } from '@confab/core';
import { benchMachine, createTestBot, writeBenchResult } from '@confab/testkit';
import { DiscordEmulator, type EmulatedChannel, type EmulatedUser } from '@confab/testkit/discord-emulator';
import { Client, Events } from 'discord.js';
import { CONFAB_INTENTS, CONFAB_PARTIALS } from '../src/gateway-intents.js';
import discordTransportPlugin from '../src/plugin.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
const IN_FLIGHT = 32;
const CHANNELS = 64;
// Discord's global REST limit per bot, which discord.js enforces.
const GLOBAL_LIMIT = 50;
// High enough that neither run meets it on this kind of machine.
const UNCAPPED = 100_000;
const TARGETS = { globalLimitUse: 0.9, p99FirstRestCallMs: 50 };
const OPEN = { limit: 1_000_000, windowMs: 1000 };

interface Setup {
  readonly discord: DiscordEmulator;
  readonly alice: EmulatedUser;
  readonly channels: EmulatedChannel[];
  readonly botId: string;
  stop(): Promise<void>;
}

async function world(): Promise<{
  discord: DiscordEmulator;
  alice: EmulatedUser;
  channels: EmulatedChannel[];
  token: string;
  botId: string;
}> {
  const discord = await DiscordEmulator.start({
    rateLimits: { messageCreate: OPEN, messageEdit: OPEN, typing: OPEN, other: OPEN },
  });
  const alice = discord.addUser('alice');
  const ada = discord.addBot('ada');
  const guild = discord.addGuild('bench', { members: [alice.id, ada.user.id] });
  const channels = Array.from({ length: CHANNELS }, (_, i) => discord.addChannel(guild.id, `c${i}`));
  return { discord, alice, channels, token: ada.token, botId: ada.user.id };
}

/** confab: the Discord transport, the engine and an instant scripted backend. */
async function confabSetup(globalRequestsPerSecond: number): Promise<Setup> {
  const { discord, alice, channels, token, botId } = await world();
  const { bot } = createTestBot({
    transportPlugin: discordTransportPlugin,
    transport: { accounts: [{ mate: 'ada', token }], apiUrl: discord.apiUrl, globalRequestsPerSecond },
    store: new MemoryStore(),
    config: {
      scheduler: { maxPerUser: 10_000, maxQueue: 100_000 },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default', history: { maxMessages: 8 } }],
    },
    profiles: { default: { workers: 4, parallel: 16, reply: 'ok' } },
  });
  await bot.start();
  return {
    discord,
    alice,
    channels,
    botId,
    stop: async () => {
      await bot.stop(1000);
      await discord.stop();
    },
  };
}

/** Baseline: discord.js alone, replying to every message the moment it arrives. */
async function bareSetup(globalRequestsPerSecond: number): Promise<Setup> {
  const { discord, alice, channels, token, botId } = await world();
  const client = new Client({
    intents: [...CONFAB_INTENTS],
    partials: [...CONFAB_PARTIALS],
    rest: { api: discord.apiUrl, globalRequestsPerSecond },
  });
  client.on(Events.MessageCreate, (message) => {
    if (message.author.bot) return;
    void message.reply({ content: 'ok', allowedMentions: { parse: [], repliedUser: true } });
  });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(token);
  await ready;
  return {
    discord,
    alice,
    channels,
    botId,
    stop: async () => {
      await client.destroy();
      await discord.stop();
    },
  };
}

const answered = (setup: Setup, channel: EmulatedChannel, id: string) => () => {
  const last = setup.discord.channelMessages(channel.id).at(-1);
  return last && last.replyToId === id && last.authorId === setup.botId ? true : undefined;
};

/** Closed loop: IN_FLIGHT conversations, each sending its next message once the last is answered. */
async function throughput(setup: Setup, count: number): Promise<{ rate: number; restPerMessage: number }> {
  let next = 0;
  const requestsBefore = setup.discord.requests.length;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, worker) => {
      const channel = setup.channels[worker % setup.channels.length] as EmulatedChannel;
      while (next < count) {
        const i = next++;
        const message = setup.discord.userSays(channel.id, setup.alice.id, `<@${setup.botId}> message ${i}`);
        await setup.discord.until(`reply to ${i}`, answered(setup, channel, message.id), 30_000);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const rest = setup.discord.requests.slice(requestsBefore).filter((r) => r.botId === setup.botId).length;
  return { rate: count / seconds, restPerMessage: rest / count };
}

/** Open loop at `rate`: ms from each MESSAGE_CREATE dispatch to the bot's first REST call for it. */
async function firstCallLatency(
  setup: Setup,
  rate: number,
  count: number,
): Promise<{ p50: number; p99: number }> {
  const sent: { channelId: string; at: number; id: string; channel: EmulatedChannel }[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const channel = setup.channels[i % setup.channels.length] as EmulatedChannel;
    const message = setup.discord.userSays(channel.id, setup.alice.id, `<@${setup.botId}> timed ${i}`);
    sent.push({ channelId: channel.id, at: message.createdAt, id: message.id, channel });
  }
  for (const s of sent)
    await setup.discord.until(
      `reply to ${s.id}`,
      () => setup.discord.channelMessages(s.channelId).some((m) => m.replyToId === s.id) || undefined,
      30_000,
    );
  const latencies = sent.map((s) => {
    const first = setup.discord.requests.find(
      (r) => r.botId === setup.botId && r.at >= s.at && r.path.startsWith(`/channels/${s.channelId}/`),
    );
    return first ? first.at - s.at : Number.NaN;
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

async function measure(
  make: () => Promise<Setup>,
): Promise<{ rate: number; restPerMessage: number; p50: number; p99: number }> {
  const setup = await make();
  try {
    await throughput(setup, Math.min(100, MESSAGES)); // warm-up
    const { rate, restPerMessage } = await throughput(setup, MESSAGES);
    // A channel gets a message every CHANNELS / rate seconds, so each first call is attributable.
    const latency = await firstCallLatency(setup, rate / 2, Math.min(MESSAGES, 400));
    return { rate, restPerMessage, ...latency };
  } finally {
    await setup.stop();
  }
}

const baseline = await measure(() => bareSetup(GLOBAL_LIMIT));
const confab = await measure(() => confabSetup(GLOBAL_LIMIT));
// Without the global cap: what confab itself costs next to discord.js on the same emulator.
const bareUncapped = await measure(() => bareSetup(UNCAPPED));
const confabUncapped = await measure(() => confabSetup(UNCAPPED));

const metrics = {
  messagesPerSecond: Number(confab.rate.toFixed(1)),
  restCallsPerMessage: Number(confab.restPerMessage.toFixed(2)),
  restCallsPerSecond: Number((confab.rate * confab.restPerMessage).toFixed(1)),
  p50FirstRestCallMs: Number(confab.p50.toFixed(2)),
  p99FirstRestCallMs: Number(confab.p99.toFixed(2)),
  baselineMessagesPerSecond: Number(baseline.rate.toFixed(1)),
  baselineRestCallsPerMessage: Number(baseline.restPerMessage.toFixed(2)),
  baselineRestCallsPerSecond: Number((baseline.rate * baseline.restPerMessage).toFixed(1)),
  baselineP50FirstRestCallMs: Number(baseline.p50.toFixed(2)),
  baselineP99FirstRestCallMs: Number(baseline.p99.toFixed(2)),
  uncappedMessagesPerSecond: Number(confabUncapped.rate.toFixed(1)),
  uncappedP99FirstRestCallMs: Number(confabUncapped.p99.toFixed(2)),
  uncappedBaselineMessagesPerSecond: Number(bareUncapped.rate.toFixed(1)),
  uncappedBaselineP99FirstRestCallMs: Number(bareUncapped.p99.toFixed(2)),
};
const ratios = {
  confabGlobalLimitUse: Number((metrics.restCallsPerSecond / GLOBAL_LIMIT).toFixed(3)),
  baselineGlobalLimitUse: Number((metrics.baselineRestCallsPerSecond / GLOBAL_LIMIT).toFixed(3)),
  confabVsBareDiscordJsThroughput: Number((confab.rate / baseline.rate).toFixed(3)),
  confabVsBareDiscordJsP99: Number((confab.p99 / baseline.p99).toFixed(3)),
  uncappedConfabVsBareThroughput: Number((confabUncapped.rate / bareUncapped.rate).toFixed(3)),
  uncappedConfabVsBareP99: Number((confabUncapped.p99 / bareUncapped.p99).toFixed(3)),
};
const met =
  ratios.confabGlobalLimitUse >= TARGETS.globalLimitUse &&
  metrics.p99FirstRestCallMs <= TARGETS.p99FirstRestCallMs;
const result = {
  name: 'discord',
  machine: benchMachine(),
  params: {
    messages: MESSAGES,
    inFlight: IN_FLIGHT,
    channels: CHANNELS,
    backend: 'scripted, instant',
    history: 'read from Discord, 8 messages',
    rateLimits: `per-route buckets raised; global limit ${GLOBAL_LIMIT}/s, then ${UNCAPPED}/s (uncapped)`,
    baseline: 'bare discord.js client replying on MESSAGE_CREATE, same emulator',
  },
  metrics,
  ratios,
  targets: TARGETS,
  met,
};
writeBenchResult(result);
console.table({
  'messages/s (confab)': { value: metrics.messagesPerSecond, target: '' },
  'messages/s (bare discord.js)': { value: metrics.baselineMessagesPerSecond, target: '' },
  'REST calls/message (confab)': { value: metrics.restCallsPerMessage, target: '' },
  'REST calls/message (bare)': { value: metrics.baselineRestCallsPerMessage, target: '' },
  'share of the 50/s global limit (confab)': {
    value: ratios.confabGlobalLimitUse,
    target: `>= ${TARGETS.globalLimitUse}`,
  },
  'confab / bare': { value: ratios.confabVsBareDiscordJsThroughput, target: '' },
  'p50 first REST call ms (confab)': { value: metrics.p50FirstRestCallMs, target: '' },
  'p99 first REST call ms (confab)': {
    value: metrics.p99FirstRestCallMs,
    target: `<= ${TARGETS.p99FirstRestCallMs}`,
  },
  'p99 first REST call ms (bare)': { value: metrics.baselineP99FirstRestCallMs, target: '' },
  'uncapped messages/s (confab)': { value: metrics.uncappedMessagesPerSecond, target: '' },
  'uncapped messages/s (bare)': { value: metrics.uncappedBaselineMessagesPerSecond, target: '' },
  'uncapped confab / bare': { value: ratios.uncappedConfabVsBareThroughput, target: '' },
  'uncapped p99 first REST call ms (confab)': { value: metrics.uncappedP99FirstRestCallMs, target: '' },
  'uncapped p99 first REST call ms (bare)': { value: metrics.uncappedBaselineP99FirstRestCallMs, target: '' },
});
console.log(met ? 'discord bench: targets met' : 'discord bench: targets NOT met');
