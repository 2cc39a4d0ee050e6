import { type ConfabEvent, type ConfabEventType, MemoryStore } from '@confab/core';
import { createTestBot, type ScriptedBackend, type TestBot } from '@confab/testkit';
import {
  DiscordEmulator,
  type DiscordEmulatorOptions,
  type EmulatedBot,
  type EmulatedChannel,
  type EmulatedGuild,
  type EmulatedMessage,
  type EmulatedUser,
} from '@confab/testkit/discord-emulator';
import discordTransportPlugin from '../src/plugin.js';
import type { DiscordTransport } from '../src/discord-transport.js';

/** Options of {@link startWorld}. */
export interface WorldOptions {
  /** Mates, each with its own bot account; default `['ada']`. */
  readonly mates?: readonly string[];
  /** Scripted backend profiles; each mate uses the profile named like it when there is one. */
  readonly profiles?: Record<string, unknown>;
  /** Core config sections besides transports, backends and mates. */
  readonly config?: Record<string, unknown>;
  /** The transport's section, merged over the generated accounts. */
  readonly transport?: Record<string, unknown>;
  /** Override an account (token, allowlists) by mate. */
  readonly accounts?: Record<string, Record<string, unknown>>;
  readonly emulator?: DiscordEmulatorOptions;
  /** Bot accounts whose portal has the Message Content intent off. */
  readonly withoutMessageContent?: readonly string[];
}

/** An emulated Discord with a guild, a channel, two people and a confab bot logged in. */
export interface World {
  readonly discord: DiscordEmulator;
  readonly test: TestBot;
  readonly backend: ScriptedBackend;
  readonly transport: DiscordTransport;
  readonly bots: Record<string, EmulatedBot>;
  readonly alice: EmulatedUser;
  readonly carol: EmulatedUser;
  readonly guild: EmulatedGuild;
  readonly general: EmulatedChannel;
  /** Every bus event, in order. */
  readonly events: ConfabEvent[];
  eventsOf<T extends ConfabEventType>(type: T): Extract<ConfabEvent, { type: T }>[];
  /** Resolves with the first bus event (past or future) of `type` that `match` accepts. */
  waitForEvent<T extends ConfabEventType>(
    type: T,
    match: (event: Extract<ConfabEvent, { type: T }>) => boolean,
  ): Promise<Extract<ConfabEvent, { type: T }>>;
  /** Messages of a channel that reply to `messageId`. */
  repliesTo(channelId: string, messageId: string): EmulatedMessage[];
  /** Waits for the first bot message replying to `messageId`, and for its text to equal `text` when given. */
  reply(channelId: string, messageId: string, text?: string): Promise<EmulatedMessage>;
  stop(): Promise<void>;
}

/** Builds the world and starts the bot (real discord.js clients against the emulator). */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const discord = await DiscordEmulator.start(options.emulator);
  const mates = options.mates ?? ['ada'];
  const alice = discord.addUser('alice', { globalName: 'Alice' });
  const carol = discord.addUser('carol');
  const bots: Record<string, EmulatedBot> = {};
  for (const mate of mates) {
    bots[mate] = discord.addBot(mate, {
      messageContentIntent: !(options.withoutMessageContent ?? []).includes(mate),
    });
  }
  const guild = discord.addGuild('confab', {
    owner: alice.id,
    members: [alice.id, carol.id, ...Object.values(bots).map((b) => b.user.id)],
  });
  const general = discord.addChannel(guild.id, 'general');
  const profiles = options.profiles ?? { default: {} };
  const test = createTestBot({
    transportPlugin: discordTransportPlugin,
    transport: {
      accounts: mates.map((mate) => ({
        mate,
        token: (bots[mate] as EmulatedBot).token,
        ...options.accounts?.[mate],
      })),
      apiUrl: discord.apiUrl,
      minEditIntervalMs: 50,
      readyTimeoutMs: 10_000,
      ...options.transport,
    },
    profiles,
    store: new MemoryStore(),
    config: {
      mates: mates.map((name) => ({
        name,
        backend: 'scripted',
        profile: name in profiles ? name : 'default',
        system: `You are ${name}.`,
      })),
      ...options.config,
    },
  });
  const events: ConfabEvent[] = [];
  test.bot.events.onAny((event) => events.push(event));
  try {
    await test.bot.start();
  } catch (error) {
    await discord.stop();
    throw error;
  }
  const repliesTo = (channelId: string, messageId: string) =>
    discord.channelMessages(channelId).filter((m) => m.replyToId === messageId && m.authorId !== alice.id);
  return {
    discord,
    test,
    backend: test.backend,
    transport: test.transport as unknown as DiscordTransport,
    bots,
    alice,
    carol,
    guild,
    general,
    events,
    eventsOf: <T extends ConfabEventType>(type: T) =>
      events.filter((e): e is Extract<ConfabEvent, { type: T }> => e.type === type),
    waitForEvent: <T extends ConfabEventType>(
      type: T,
      match: (event: Extract<ConfabEvent, { type: T }>) => boolean,
    ) =>
      new Promise<Extract<ConfabEvent, { type: T }>>((resolve, reject) => {
        const isMatch = (e: ConfabEvent): e is Extract<ConfabEvent, { type: T }> =>
          e.type === type && match(e as Extract<ConfabEvent, { type: T }>);
        const past = events.find(isMatch);
        if (past) return resolve(past);
        const timer = setTimeout(() => {
          off();
          reject(new Error(`timed out waiting for a ${type} event`));
        }, 10_000);
        const off = test.bot.events.onAny((e) => {
          if (!isMatch(e)) return;
          clearTimeout(timer);
          off();
          resolve(e);
        });
      }),
    repliesTo,
    reply: (channelId, messageId, text) =>
      discord.until(
        `a reply to ${messageId}${text === undefined ? '' : ` reading "${text.slice(0, 40)}"`}`,
        () => {
          const found = repliesTo(channelId, messageId)[0];
          return found && (text === undefined || found.content === text) ? found : undefined;
        },
      ),
    async stop() {
      await test.bot.stop(1000);
      await discord.stop();
    },
  };
}
