import {
  type BotIdentity,
  type ChatLocation,
  type ChatMessage,
  ConfabError,
  type EventBus,
  type HistoryQuery,
  type InboundHandler,
  type Logger,
  type OutboundTarget,
  type PluginInstanceInfo,
  type SentMessage,
  type Store,
  StoreNamespaces,
  Tokens,
  type Transport,
  type TransportCapabilities,
} from '@confab/core';
import { type Message, PermissionFlagsBits, type SendableChannels, type TextBasedChannel } from 'discord.js';
import { LRUCache } from 'lru-cache';
import { inject, injectable } from 'tsyringe';
import type { DiscordTransportConfig } from './config.js';
import { toChatMessage } from './inbound-message.js';
import { MateClient } from './mate-client.js';

/** Discord's message length limit. */
export const DISCORD_MAX_MESSAGE_LENGTH = 2000;
// Discord returns at most 100 messages per history page.
const HISTORY_PAGE = 100;
// Channels whose own history epoch is remembered; a forgotten one falls back to the
// transport-wide epoch, which only makes its next history read go to Discord.
const CHANNEL_EPOCHS = 10_000;

/** What the transport keeps in the store's `identities` namespace per mate. */
export interface StoredDiscordIdentity {
  readonly platform: 'discord';
  readonly mate: string;
  readonly userId: string;
  readonly displayName: string;
  readonly updatedAt: number;
}

/**
 * Discord through discord.js: one bot account (one client) per mate. Every mate hears the
 * channels it is in; a guild message seen by several mates is delivered once, by the first
 * connected mate (in config order) allowed in that channel. DMs arrive through the mate they
 * were sent to. Rate limits are discord.js's REST queue (per-route buckets, 429 `retry_after`).
 */
@injectable()
export class DiscordTransport implements Transport {
  readonly platform = 'discord';
  readonly name: string;
  readonly capabilities: TransportCapabilities;
  private readonly clients: MateClient[];
  private onMessage: InboundHandler | undefined;
  /** Epochs drawn from one counter, so a channel's and the transport-wide one compare. */
  private lastEpoch = 0;
  private everywhereEpoch = 0;
  private readonly channelEpochs = new LRUCache<string, number>({ max: CHANNEL_EPOCHS });

  constructor(
    @inject(Tokens.PluginConfig) config: DiscordTransportConfig,
    @inject(Tokens.PluginInstance) instance: PluginInstanceInfo,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(Tokens.EventBus) private readonly events: EventBus,
    @inject(Tokens.Store) private readonly store: Store,
  ) {
    this.name = instance.name;
    this.capabilities = {
      maxMessageLength: DISCORD_MAX_MESSAGE_LENGTH,
      edits: true,
      minEditIntervalMs: config.minEditIntervalMs,
    };
    this.clients = config.accounts.map(
      (account) =>
        new MateClient({
          transport: this.name,
          account,
          ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
          globalRequestsPerSecond: config.globalRequestsPerSecond,
          readyTimeoutMs: config.readyTimeoutMs,
          logger,
          onMessage: (client, message) => this.receive(client, message),
          onError: (client, error) => this.reportError(client.mate, error.message),
          isMate: (userId) => this.clients.some((c) => c.isReady && c.userId === userId),
          onGap: (_, channelId) => this.gap(channelId),
        }),
    );
  }

  /**
   * Logs every mate in. A mate whose login fails (bad token, missing intent) is reported as a
   * `transport.error` naming the fix while the others keep running; only when no mate can log in
   * does start fail.
   */
  async start(onMessage: InboundHandler): Promise<void> {
    this.onMessage = onMessage;
    // Whatever happened while the transport was stopped was not delivered.
    this.gap();
    const results = await Promise.allSettled(this.clients.map((client) => client.start()));
    const failures: string[] = [];
    results.forEach((result, index) => {
      const client = this.clients[index] as MateClient;
      if (result.status === 'rejected') {
        const message = result.reason instanceof Error ? result.reason.message : String(result.reason);
        failures.push(message);
        this.reportError(client.mate, message);
      } else {
        this.logger.info(
          { mate: client.mate, userId: client.userId, guilds: client.client.guilds.cache.size },
          'discord: mate logged in',
        );
      }
    });
    if (failures.length === this.clients.length) {
      throw new ConfabError('discord.no-mate-online', failures.join('\n'));
    }
    await this.storeIdentities();
  }

  async stop(): Promise<void> {
    this.onMessage = undefined;
    await Promise.allSettled(this.clients.map((client) => client.stop()));
  }

  identities(): readonly BotIdentity[] {
    return this.clients
      .filter((client) => client.isReady)
      .map((client) => ({ mate: client.mate, userId: client.userId, displayName: client.displayName }));
  }

  async send(target: OutboundTarget, text: string): Promise<SentMessage> {
    const channel = await this.sendableChannel(target);
    const sent = await channel.send({
      content: text,
      // A mate's text never pings @everyone, roles or users by accident; a reply notifies its author.
      allowedMentions: { parse: [], repliedUser: true },
      ...(target.replyTo ? { reply: { messageReference: target.replyTo, failIfNotExists: false } } : {}),
    });
    return { id: sent.id };
  }

  async edit(target: OutboundTarget, messageId: string, text: string): Promise<void> {
    const channel = await this.sendableChannel(target);
    await channel.messages.edit(messageId, {
      content: text,
      allowedMentions: { parse: [], repliedUser: true },
    });
  }

  async typing(target: OutboundTarget, active: boolean): Promise<void> {
    // Discord's indicator lasts ~10 s or until the message arrives; there is no "stop typing".
    if (!active) return;
    const channel = await this.sendableChannel(target);
    await channel.sendTyping();
  }

  /** Reads the channel's (or thread's) messages from Discord, newest first, and returns them oldest first. */
  async fetchHistory(message: ChatMessage, query: HistoryQuery): Promise<ChatMessage[]> {
    const client = this.readerFor(message);
    const channel = await this.textChannel(client, message.threadId ?? message.roomId);
    const afterTime = query.after?.timestamp;
    const collected: Message[] = [];
    let before: string | undefined;
    paging: while (collected.length < query.limit) {
      const page = await channel.messages.fetch({
        limit: Math.min(HISTORY_PAGE, query.limit - collected.length),
        cache: false,
        ...(before ? { before } : {}),
      });
      if (page.size === 0) break;
      for (const found of page.values()) {
        if (afterTime !== undefined && found.createdTimestamp <= afterTime) break paging;
        collected.push(found);
        before = found.id;
      }
      if (page.size < HISTORY_PAGE) break;
    }
    return collected.reverse().map((found) => this.translate(client, found));
  }

  /** Manage Channels in the channel (roles, overwrites, owner and Administrator included), computed by discord.js. */
  async isRoomAdmin(message: ChatMessage): Promise<boolean> {
    if (message.isDirect) return true;
    const client = this.readerFor(message);
    const channel = await client.client.channels.fetch(message.threadId ?? message.roomId);
    if (!channel || channel.isDMBased()) return false;
    const member = await channel.guild.members.fetch(message.sender.id);
    return channel.permissionsFor(member)?.has(PermissionFlagsBits.ManageChannels) ?? false;
  }

  /**
   * Changes after a new gateway session that lost events, when a mate goes offline for good (its
   * channels pass to others), and per channel when a message there is edited or deleted.
   */
  historyEpoch(location: ChatLocation): number {
    const channel = this.channelEpochs.get(location.threadId ?? location.roomId) ?? 0;
    return Math.max(this.everywhereEpoch, channel);
  }

  private gap(channelId?: string): void {
    const epoch = ++this.lastEpoch;
    if (channelId === undefined) this.everywhereEpoch = epoch;
    else this.channelEpochs.set(channelId, epoch);
  }

  private receive(client: MateClient, message: Message): void {
    const deliver = this.onMessage;
    if (!deliver || !client.isReady) return;
    if (message.guildId !== null) {
      const owner = this.ownerOf(message);
      if (owner !== client) return;
    }
    const chat = this.translate(client, message);
    void Promise.resolve(deliver(chat)).catch((error: unknown) =>
      this.logger.error({ err: error, room: chat.roomId, event: chat.id }, 'discord: inbound handler failed'),
    );
  }

  /**
   * The one client that delivers a guild message: the first connected mate, in config order,
   * allowed in the channel and in its guild. Deterministic, so each message is delivered once;
   * the engine's event ledger drops the rare duplicate when ownership changes during a reconnect.
   */
  private ownerOf(message: Message): MateClient | undefined {
    const channel = message.channel;
    const parentId = channel.isThread() ? channel.parentId : null;
    return this.clients.find(
      (candidate) =>
        candidate.isReady &&
        message.guildId !== null &&
        candidate.client.guilds.cache.has(message.guildId) &&
        candidate.allows(message.guildId, message.channelId, parentId),
    );
  }

  /**
   * The message as confab sees it. Its `audience` is who can answer here: in a DM the mate it
   * was sent to, in a guild channel the connected mates whose allowlists include the channel.
   */
  private translate(client: MateClient, message: Message): ChatMessage {
    const excluded = new Set<string>();
    let audience: string[] = [client.mate];
    if (message.guildId !== null) {
      const parentId = message.channel.isThread() ? message.channel.parentId : null;
      audience = [];
      for (const other of this.clients) {
        if (!other.isReady) continue;
        if (other.allows(message.guildId, message.channelId, parentId)) audience.push(other.mate);
        else excluded.add(other.userId);
      }
    }
    return toChatMessage(message, {
      transport: this.name,
      receivedBy: client.userId,
      mateOf: (userId) => this.clients.find((c) => c.isReady && c.userId === userId)?.mate,
      excluded,
      audience,
    });
  }

  /** The client that reads for a message: the one that received it, else the first connected mate. */
  private readerFor(message: ChatMessage): MateClient {
    const { receivedBy } = message;
    const byReceiver = receivedBy
      ? this.clients.find((c) => c.isReady && c.userId === receivedBy)
      : undefined;
    const client = byReceiver ?? this.clients.find((c) => c.isReady);
    if (!client) {
      throw new ConfabError('discord.offline', `transport '${this.name}': no mate is connected to Discord`);
    }
    return client;
  }

  private async sendableChannel(target: OutboundTarget): Promise<SendableChannels & TextBasedChannel> {
    const client = this.clients.find((c) => c.mate === target.mate);
    if (!client?.isReady) {
      throw new ConfabError(
        'discord.mate-offline',
        `transport '${this.name}': mate '${target.mate}' has no connected Discord account` +
          (client ? ' (its login failed; see the earlier error)' : '; add one under accounts:'),
      );
    }
    const channel = await this.textChannel(client, target.threadId ?? target.roomId);
    if (!channel.isDMBased()) {
      const parentId = channel.isThread() ? channel.parentId : null;
      if (!client.allows(channel.guildId, channel.id, parentId)) {
        throw new ConfabError(
          'discord.not-allowed',
          `transport '${this.name}': mate '${target.mate}' may not speak in channel ${channel.id} (see its account's guilds/channels)`,
        );
      }
    }
    return channel;
  }

  private async textChannel(
    client: MateClient,
    channelId: string,
  ): Promise<SendableChannels & TextBasedChannel> {
    const channel = await client.client.channels.fetch(channelId);
    if (!channel?.isTextBased() || !channel.isSendable()) {
      throw new ConfabError(
        'discord.unknown-channel',
        `transport '${this.name}': mate '${client.mate}' cannot see a text channel ${channelId}`,
      );
    }
    return channel;
  }

  private reportError(mate: string, message: string): void {
    this.logger.error({ mate }, message);
    this.events.emit('transport.error', { transport: this.name, message });
  }

  private async storeIdentities(): Promise<void> {
    const { store } = this;
    for (const client of this.clients) {
      if (!client.isReady) continue;
      const identity: StoredDiscordIdentity = {
        platform: 'discord',
        mate: client.mate,
        userId: client.userId,
        displayName: client.displayName,
        updatedAt: Date.now(),
      };
      await store.put(StoreNamespaces.identities, `${this.name}:${client.mate}`, identity);
    }
  }
}
