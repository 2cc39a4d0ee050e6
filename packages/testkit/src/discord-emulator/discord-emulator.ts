import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  ChannelKind,
  type EmulatedBot,
  type EmulatedChannel,
  type EmulatedGuild,
  type EmulatedMessage,
  type EmulatedRole,
  type EmulatedUser,
  Intent,
  type PermissionOverwrite,
  type RecordedRequest,
} from './emulator-model.js';
import { GatewayOp, GatewaySession } from './gateway-session.js';
import {
  channelPayload,
  guildPayload,
  memberPayload,
  messagePayload,
  rolePayload,
  userPayload,
} from './payloads.js';
import { type BucketLimit, RateLimitBuckets } from './rate-limit-buckets.js';
import { SnowflakeGenerator, snowflakeTime } from './snowflake.js';

/** Discord's message length limit. */
export const DISCORD_MAX_MESSAGE_LENGTH = 2000;

/** Bucket sizes per kind of route; Discord's defaults unless a test makes them tighter or looser. */
export interface EmulatorRateLimits {
  /** `POST /channels/:id/messages`, per channel. Discord: 5 per 5 s. */
  readonly messageCreate?: BucketLimit;
  /** `PATCH /channels/:id/messages/:id`, per channel. Discord: 5 per 5 s. */
  readonly messageEdit?: BucketLimit;
  /** `POST /channels/:id/typing`, per channel. */
  readonly typing?: BucketLimit;
  /** Every other route, per route and major parameter. */
  readonly other?: BucketLimit;
}

/** Options of {@link DiscordEmulator}. */
export interface DiscordEmulatorOptions {
  readonly rateLimits?: EmulatorRateLimits;
  /** HELLO's heartbeat interval, in ms. Discord: 41,250. */
  readonly heartbeatIntervalMs?: number;
}

/** A 429 the emulator answers regardless of the buckets, to test a client's retry. */
export interface InjectedRateLimit {
  /** HTTP method to match; any when omitted. */
  readonly method?: string;
  /** Matched against the path after `/api/v10`; any when omitted. */
  readonly path?: RegExp;
  /** How many matching requests get a 429. Default 1. */
  readonly times?: number;
  /** `retry_after`, in ms. Default 200. */
  readonly retryAfterMs?: number;
}

/** Options of {@link DiscordEmulator.userSays}. */
export interface UserMessageOptions {
  /** Message id to reply to. */
  readonly replyTo?: string;
  /** User ids mentioned; `<@id>` mentions in the content are found by themselves. */
  readonly mentions?: readonly string[];
  /** Creation time; now by default. Only for seeding history (`dispatch: false`). */
  readonly at?: number;
  /** Send MESSAGE_CREATE to the bots (default); false only stores the message, as old history. */
  readonly dispatch?: boolean;
}

/** A typing indicator a bot sent. */
export interface TypingRecord {
  readonly channelId: string;
  readonly botId: string;
  readonly at: number;
}

interface PendingInjection {
  readonly method?: string;
  readonly path?: RegExp;
  remaining: number;
  readonly retryAfterMs: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const DEFAULT_LIMITS: Required<EmulatorRateLimits> = {
  messageCreate: { limit: 5, windowMs: 5000 },
  messageEdit: { limit: 5, windowMs: 5000 },
  typing: { limit: 5, windowMs: 5000 },
  other: { limit: 50, windowMs: 1000 },
};

const SNOWFLAKE = /^\d{15,21}$/;

/**
 * A protocol-level Discord on 127.0.0.1: the REST API bots use and the gateway WebSocket, so
 * the real discord.js client can log in, receive events and post, with Discord's rules
 * (intents, the 2,000-character limit, per-route rate-limit buckets, RESUME after a drop).
 *
 * The test API creates users, bots, guilds, channels, threads and DMs, injects user messages,
 * 429s and disconnects, and reads back what bots posted with every edit.
 *
 * ```ts
 * const discord = await DiscordEmulator.start();
 * const ada = discord.addBot('ada');
 * const client = new Client({ intents, rest: { api: discord.apiUrl } });
 * await client.login(ada.token);
 * ```
 */
export class DiscordEmulator {
  readonly ids = new SnowflakeGenerator();
  /** Every REST request answered, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Every typing indicator a bot sent. */
  readonly typings: TypingRecord[] = [];
  private readonly changes = new EventEmitter();
  private readonly users = new Map<string, EmulatedUser>();
  private readonly bots = new Map<string, EmulatedBot>();
  private readonly guilds = new Map<string, EmulatedGuild>();
  private readonly channels = new Map<string, EmulatedChannel>();
  private readonly messages = new Map<string, EmulatedMessage[]>();
  private readonly messageIndex = new Map<string, EmulatedMessage>();
  private readonly sessions = new Map<string, GatewaySession>();
  private readonly buckets = new RateLimitBuckets();
  private readonly injections: PendingInjection[] = [];
  private readonly limits: Required<EmulatorRateLimits>;
  private readonly wss: WebSocketServer;
  private port = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: DiscordEmulatorOptions,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.rateLimits };
    this.changes.setMaxListeners(0);
    this.wss = new WebSocketServer({ noServer: true });
    server.on('request', (req, res) => void this.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/gateway')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGateway(ws));
    });
  }

  /** Starts an emulator on a free port of 127.0.0.1. */
  static async start(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
    const server = createServer();
    const emulator = new DiscordEmulator(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    emulator.port = (server.address() as AddressInfo).port;
    return emulator;
  }

  /** What to pass as discord.js's `rest.api` option. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** The gateway URL `/gateway/bot` hands out. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- world building -------------------------------------------------------------------------

  /** A person. */
  addUser(username: string, options: { globalName?: string } = {}): EmulatedUser {
    const user: EmulatedUser = {
      id: this.ids.next(),
      username,
      globalName: options.globalName ?? null,
      bot: false,
    };
    this.users.set(user.id, user);
    return user;
  }

  /**
   * A bot account with a fresh token. `messageContentIntent: false` is a portal where the Message
   * Content privileged intent is off: asking for it closes the gateway with 4014, as on Discord.
   */
  addBot(username: string, options: { messageContentIntent?: boolean } = {}): EmulatedBot {
    const user: EmulatedUser = { id: this.ids.next(), username, globalName: null, bot: true };
    this.users.set(user.id, user);
    const token = `${Buffer.from(user.id).toString('base64url')}.${randomBytes(18).toString('base64url')}`;
    const bot: EmulatedBot = {
      user,
      token,
      applicationId: user.id,
      messageContentIntent: options.messageContentIntent ?? true,
    };
    this.bots.set(token, bot);
    return bot;
  }

  /** A guild whose `@everyone` may view and post; members are given or added later. */
  addGuild(name: string, options: { owner?: string; members?: readonly string[] } = {}): EmulatedGuild {
    const id = this.ids.next();
    const everyone: EmulatedRole = {
      id,
      name: '@everyone',
      permissions:
        (1n << 10n) | // view channel
        (1n << 11n) | // send messages
        (1n << 16n), // read message history
      position: 0,
    };
    const members = options.members ?? [];
    const ownerId = options.owner ?? members[0] ?? '0';
    const guild: EmulatedGuild = { id, name, ownerId, roles: [everyone], members: new Map() };
    this.guilds.set(id, guild);
    for (const member of members) this.addMember(id, member);
    return guild;
  }

  /** A role with the given permission bits (see `Permission`). */
  addRole(guildId: string, name: string, permissions: bigint): EmulatedRole {
    const guild = this.requireGuild(guildId);
    const role: EmulatedRole = { id: this.ids.next(), name, permissions, position: guild.roles.length };
    guild.roles.push(role);
    this.dispatchToGuild(guildId, 'GUILD_ROLE_CREATE', () => ({
      guild_id: guildId,
      role: rolePayload(role),
    }));
    return role;
  }

  /** Adds a user or bot to a guild; a connected bot gets the guild's GUILD_CREATE. */
  addMember(guildId: string, userId: string, roleIds: readonly string[] = []): void {
    const guild = this.requireGuild(guildId);
    guild.members.set(userId, [...roleIds]);
    for (const session of this.sessionsOf(userId)) session.dispatch('GUILD_CREATE', this.guildCreate(guild));
  }

  /** A text channel; connected bots of the guild get CHANNEL_CREATE. */
  addChannel(guildId: string, name: string, overwrites: PermissionOverwrite[] = []): EmulatedChannel {
    this.requireGuild(guildId);
    const channel: EmulatedChannel = {
      id: this.ids.next(),
      type: ChannelKind.GuildText,
      name,
      guildId,
      overwrites,
    };
    this.channels.set(channel.id, channel);
    this.dispatchToGuild(guildId, 'CHANNEL_CREATE', () => this.channelJson(channel));
    return channel;
  }

  /** A public thread under a text channel (from a message when `fromMessage` is given). */
  addThread(channelId: string, name: string, fromMessage?: string): EmulatedChannel {
    const parent = this.requireChannel(channelId);
    if (parent.type !== ChannelKind.GuildText || !parent.guildId) {
      throw new Error(`channel ${channelId} cannot have threads`);
    }
    const thread: EmulatedChannel = {
      id: fromMessage ?? this.ids.next(),
      type: ChannelKind.PublicThread,
      name,
      guildId: parent.guildId,
      parentId: parent.id,
      overwrites: [],
    };
    this.channels.set(thread.id, thread);
    this.dispatchToGuild(parent.guildId, 'THREAD_CREATE', () => ({
      ...this.channelJson(thread),
      newly_created: true,
    }));
    return thread;
  }

  /** The DM channel between a person and a bot (made on first use, as Discord does). */
  dm(userId: string, botId: string): EmulatedChannel {
    for (const channel of this.channels.values()) {
      const r = channel.recipients;
      if (channel.type === ChannelKind.DM && r && r.includes(userId) && r.includes(botId)) return channel;
    }
    const channel: EmulatedChannel = {
      id: this.ids.next(),
      type: ChannelKind.DM,
      name: '',
      recipients: [userId, botId],
      overwrites: [],
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  // ---- traffic --------------------------------------------------------------------------------

  /** A person posts a message; the bots that can see the channel get MESSAGE_CREATE. */
  userSays(
    channelId: string,
    authorId: string,
    content: string,
    options: UserMessageOptions = {},
  ): EmulatedMessage {
    const channel = this.requireChannel(channelId);
    if (!this.users.has(authorId)) throw new Error(`unknown user ${authorId}`);
    const mentions = new Set([...mentionedIds(content), ...(options.mentions ?? [])]);
    if (options.replyTo) {
      const replied = this.messageIndex.get(options.replyTo);
      if (!replied) throw new Error(`unknown message ${options.replyTo}`);
      mentions.add(replied.authorId);
    }
    return this.createMessage(channel, authorId, content, [...mentions], options.replyTo, options);
  }

  /** A person edits their message; the bots that can see the channel get MESSAGE_UPDATE. */
  userEdits(messageId: string, content: string): EmulatedMessage {
    const message = this.requireMessage(messageId);
    if (this.users.get(message.authorId)?.bot)
      throw new Error(`message ${messageId} is a bot's: it edits over REST`);
    const at = Date.now();
    message.content = content;
    message.editedAt = at;
    message.revisions.push({ content, at });
    this.dispatchMessage('MESSAGE_UPDATE', this.requireChannel(message.channelId), message);
    this.changed();
    return message;
  }

  /** A message is deleted (by its author or a moderator); the bots that can see it get MESSAGE_DELETE. */
  deleteMessage(messageId: string): void {
    const message = this.requireMessage(messageId);
    const channel = this.requireChannel(message.channelId);
    const list = this.messages.get(channel.id) ?? [];
    list.splice(list.indexOf(message), 1);
    this.messageIndex.delete(messageId);
    const payload = {
      id: message.id,
      channel_id: channel.id,
      ...(channel.guildId !== undefined ? { guild_id: channel.guildId } : {}),
    };
    for (const session of this.sessions.values()) {
      if (!this.canSee(session.bot.user.id, channel)) continue;
      const needed = channel.type === ChannelKind.DM ? Intent.DirectMessages : Intent.GuildMessages;
      if (session.intents & needed) session.dispatch('MESSAGE_DELETE', payload);
    }
    this.changed();
  }

  /** Every message of a channel, oldest first, with every edit. */
  channelMessages(channelId: string): readonly EmulatedMessage[] {
    return this.messages.get(channelId) ?? [];
  }

  /** Messages a bot (or any bot, without `botId`) posted, oldest first. */
  postedBy(botId?: string): EmulatedMessage[] {
    const all = [...this.messageIndex.values()].filter((m) =>
      botId ? m.authorId === botId : this.users.get(m.authorId)?.bot === true,
    );
    return all.sort((a, b) => compareIds(a.id, b.id));
  }

  /** One message by id. */
  message(id: string): EmulatedMessage | undefined {
    return this.messageIndex.get(id);
  }

  /** The next matching requests get a 429 with `retry_after`, whatever their bucket says. */
  injectRateLimit(injection: InjectedRateLimit = {}): void {
    this.injections.push({
      ...(injection.method ? { method: injection.method.toUpperCase() } : {}),
      ...(injection.path ? { path: injection.path } : {}),
      remaining: injection.times ?? 1,
      retryAfterMs: injection.retryAfterMs ?? 200,
    });
  }

  /**
   * Closes a bot's gateway connections with `code`: 4000 (the default) lets discord.js RESUME and
   * get what it missed; 1000 ends the session, so it identifies again.
   */
  disconnect(botId: string, code = 4000): number {
    let closed = 0;
    for (const session of this.sessionsOf(botId)) {
      session.socket?.close(code, code === 1000 ? 'session ended' : 'unknown error');
      session.socket = undefined;
      if (code === 1000) this.sessions.delete(session.id);
      closed++;
    }
    this.changed();
    return closed;
  }

  /** Number of open gateway connections of a bot that completed IDENTIFY or RESUME. */
  connections(botId: string): number {
    return this.sessionsOf(botId).filter((s) => s.connected).length;
  }

  /** How many IDENTIFYs and RESUMEs each bot sent. */
  readonly handshakes = { identify: 0, resume: 0 };

  /** 429s a client earned by ignoring a bucket's `X-RateLimit-*` headers. */
  get overLimitRequests(): number {
    return this.requests.filter((r) => r.overLimit).length;
  }

  /**
   * Resolves with `check()`'s first non-undefined value, re-checking after every change (message,
   * edit, request, connection). Rejects after `timeoutMs` naming `what`.
   */
  until<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const test = (): boolean => {
        const value = check();
        if (value === undefined || value === false) return false;
        cleanup();
        resolve(value as T);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`discord emulator: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.changes.off('change', test);
      };
      this.changes.on('change', test);
      test();
    });
  }

  private changed(): void {
    this.changes.emit('change');
  }

  // ---- model helpers --------------------------------------------------------------------------

  private requireGuild(id: string): EmulatedGuild {
    const guild = this.guilds.get(id);
    if (!guild) throw new Error(`unknown guild ${id}`);
    return guild;
  }

  private requireChannel(id: string): EmulatedChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`unknown channel ${id}`);
    return channel;
  }

  private requireMessage(id: string): EmulatedMessage {
    const message = this.messageIndex.get(id);
    if (!message) throw new Error(`unknown message ${id}`);
    return message;
  }

  private sessionsOf(userId: string): GatewaySession[] {
    return [...this.sessions.values()].filter((s) => s.bot.user.id === userId);
  }

  private canSee(userId: string, channel: EmulatedChannel): boolean {
    if (channel.type === ChannelKind.DM) return channel.recipients?.includes(userId) === true;
    return channel.guildId !== undefined && this.guilds.get(channel.guildId)?.members.has(userId) === true;
  }

  private channelJson(channel: EmulatedChannel): Record<string, unknown> {
    return channelPayload(channel, (id) => this.users.get(id));
  }

  private messageJson(message: EmulatedMessage): Record<string, unknown> {
    const channel = this.channels.get(message.channelId);
    return messagePayload(message, {
      guildId: channel?.guildId,
      user: (id) => this.users.get(id),
      message: (id) => this.messageIndex.get(id),
    });
  }

  private guildCreate(guild: EmulatedGuild): Record<string, unknown> {
    const channels = [...this.channels.values()].filter((c) => c.guildId === guild.id);
    const members = [...guild.members]
      .map(([id, roles]) => {
        const user = this.users.get(id);
        return user ? memberPayload(user, roles) : undefined;
      })
      .filter((m): m is Record<string, unknown> => m !== undefined);
    return guildPayload(guild, channels, members, (id) => this.users.get(id));
  }

  private dispatchToGuild(guildId: string, t: string, d: () => Record<string, unknown>): void {
    const guild = this.guilds.get(guildId);
    if (!guild) return;
    for (const session of this.sessions.values()) {
      if (guild.members.has(session.bot.user.id) && session.intents & Intent.Guilds) session.dispatch(t, d());
    }
  }

  private createMessage(
    channel: EmulatedChannel,
    authorId: string,
    content: string,
    mentionIds: string[],
    replyToId: string | undefined,
    options: { at?: number; dispatch?: boolean } = {},
  ): EmulatedMessage {
    const at = options.at ?? Date.now();
    const message: EmulatedMessage = {
      id: this.ids.next(at),
      channelId: channel.id,
      authorId,
      content,
      createdAt: at,
      editedAt: null,
      revisions: [{ content, at }],
      mentionIds,
      ...(replyToId ? { replyToId } : {}),
    };
    const list = this.messages.get(channel.id) ?? [];
    list.push(message);
    list.sort((a, b) => compareIds(a.id, b.id));
    this.messages.set(channel.id, list);
    this.messageIndex.set(message.id, message);
    if (options.dispatch !== false) this.dispatchMessage('MESSAGE_CREATE', channel, message);
    this.changed();
    return message;
  }

  /** Sends a message event to every bot session that can see the channel, honouring intents. */
  private dispatchMessage(t: string, channel: EmulatedChannel, message: EmulatedMessage): void {
    // The gateway adds channel_type, which discord.js needs to build an uncached DM channel.
    const payload = { ...this.messageJson(message), channel_type: channel.type };
    for (const session of this.sessions.values()) {
      const botId = session.bot.user.id;
      if (!this.canSee(botId, channel)) continue;
      const needed = channel.type === ChannelKind.DM ? Intent.DirectMessages : Intent.GuildMessages;
      if (!(session.intents & needed)) continue;
      // Without MessageContent a bot sees guild messages' content only when it wrote or is mentioned.
      const blank =
        channel.type !== ChannelKind.DM &&
        !(session.intents & Intent.MessageContent) &&
        message.authorId !== botId &&
        !message.mentionIds.includes(botId);
      session.dispatch(t, blank ? { ...payload, content: '' } : payload);
    }
  }

  // ---- gateway --------------------------------------------------------------------------------

  private onGateway(ws: WebSocket): void {
    let session: GatewaySession | undefined;
    const send = (payload: unknown) => ws.send(JSON.stringify(payload));
    send({ op: GatewayOp.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs ?? 41_250 } });
    ws.on('message', (data) => {
      let payload: { op?: number; d?: Record<string, unknown> | number | null };
      try {
        payload = JSON.parse(String(data));
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      const d = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as Record<
        string,
        unknown
      >;
      switch (payload.op) {
        case GatewayOp.Heartbeat:
          send({ op: GatewayOp.HeartbeatAck });
          return;
        case GatewayOp.Identify: {
          if (session) return ws.close(4005, 'Already authenticated.');
          const bot = this.bots.get(String(d.token ?? ''));
          if (!bot) return ws.close(4004, 'Authentication failed.');
          const intents = Number(d.intents ?? 0);
          if (intents & Intent.MessageContent && !bot.messageContentIntent) {
            return ws.close(4014, 'Disallowed intent(s).');
          }
          this.handshakes.identify++;
          session = new GatewaySession(randomBytes(16).toString('hex'), bot, intents);
          session.socket = ws;
          this.sessions.set(session.id, session);
          const guilds = [...this.guilds.values()].filter((g) => g.members.has(bot.user.id));
          session.dispatch('READY', {
            v: 10,
            user: { ...userPayload(bot.user), verified: true, mfa_enabled: false, flags: 0 },
            guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
            session_id: session.id,
            resume_gateway_url: this.gatewayUrl,
            shard: [0, 1],
            application: { id: bot.applicationId, flags: applicationFlags(bot) },
            private_channels: [],
            relationships: [],
            presences: [],
          });
          for (const guild of guilds) session.dispatch('GUILD_CREATE', this.guildCreate(guild));
          this.changed();
          return;
        }
        case GatewayOp.Resume: {
          const found = this.sessions.get(String(d.session_id ?? ''));
          if (!found || found.bot.token !== d.token) {
            send({ op: GatewayOp.InvalidSession, d: false });
            return;
          }
          this.handshakes.resume++;
          session = found;
          found.socket?.close(4000, 'replaced by a resume');
          found.resume(ws, Number(d.seq ?? 0));
          this.changed();
          return;
        }
        default:
          if (!session) ws.close(4003, 'Not authenticated.');
      }
    });
    ws.on('close', () => {
      if (session?.socket === ws) session.socket = undefined;
      this.changed();
    });
    ws.on('error', () => {});
  }

  // ---- REST -----------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api(\/v\d+)?/, '');
    const bucket = bucketKey(method, path);
    const at = Date.now();
    let botId: string | undefined;
    const record = (status: number, overLimit = false, injected = false) => {
      this.requests.push({
        method,
        path,
        bucket,
        status,
        at,
        overLimit,
        injected,
        ...(botId ? { botId } : {}),
      });
      this.changed();
    };
    try {
      const body = await readBody(req);
      const bot = this.authenticate(req);
      botId = bot.user.id;
      const size = this.bucketSize(method, path);
      const key = `${botId}:${bucket}`;
      const injection = this.injections.find(
        (i) => i.remaining > 0 && (!i.method || i.method === method) && (!i.path || i.path.test(path)),
      );
      if (injection) {
        injection.remaining--;
        const state = this.buckets.peek(key, size);
        writeRateLimited(res, injection.retryAfterMs, {
          limit: size.limit,
          remaining: state.remaining,
          resetAfterMs: state.resetAfterMs,
          bucket,
        });
        record(429, false, true);
        return;
      }
      const verdict = this.buckets.take(key, size);
      if (!verdict.allowed) {
        writeRateLimited(res, verdict.retryAfterMs, {
          limit: verdict.limit,
          remaining: 0,
          resetAfterMs: verdict.retryAfterMs,
          bucket,
        });
        record(429, true);
        return;
      }
      res.setHeader('X-RateLimit-Limit', String(verdict.limit));
      res.setHeader('X-RateLimit-Remaining', String(verdict.remaining));
      res.setHeader('X-RateLimit-Reset-After', seconds(verdict.resetAfterMs));
      res.setHeader('X-RateLimit-Reset', seconds(Date.now() + verdict.resetAfterMs));
      res.setHeader(
        'X-RateLimit-Bucket',
        Buffer.from(bucket.split(' ').slice(0, 2).join(' ')).toString('hex'),
      );
      const result = this.route(bot, method, path, url.searchParams, body);
      if (result === undefined) {
        res.writeHead(204).end();
        record(204);
      } else {
        writeJson(res, 200, result);
        record(200);
      }
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const body =
        error instanceof HttpError ? error.body : { message: String((error as Error).message), code: 0 };
      writeJson(res, status, body);
      record(status);
    }
  }

  private authenticate(req: IncomingMessage): EmulatedBot {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bot ') ? header.slice(4) : '';
    const bot = this.bots.get(token);
    if (!bot) throw new HttpError(401, { message: '401: Unauthorized', code: 0 });
    return bot;
  }

  private bucketSize(method: string, path: string): BucketLimit {
    if (method === 'POST' && /^\/channels\/\d+\/messages$/.test(path)) return this.limits.messageCreate;
    if (method === 'PATCH' && /^\/channels\/\d+\/messages\/\d+$/.test(path)) return this.limits.messageEdit;
    if (method === 'POST' && /^\/channels\/\d+\/typing$/.test(path)) return this.limits.typing;
    return this.limits.other;
  }

  private visibleChannel(bot: EmulatedBot, id: string): EmulatedChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new HttpError(404, { message: 'Unknown Channel', code: 10003 });
    if (!this.canSee(bot.user.id, channel))
      throw new HttpError(403, { message: 'Missing Access', code: 50001 });
    return channel;
  }

  private route(
    bot: EmulatedBot,
    method: string,
    path: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): unknown {
    const parts = path.split('/').filter(Boolean);
    const is = (m: string, pattern: string) =>
      m === method &&
      pattern.split('/').filter(Boolean).length === parts.length &&
      pattern
        .split('/')
        .filter(Boolean)
        .every((p, i) => (p === ':id' ? SNOWFLAKE.test(parts[i] ?? '') : p === parts[i]));
    const id1 = parts[1] ?? '';
    const id3 = parts[3] ?? '';

    if (is('GET', '/gateway/bot')) {
      return {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      };
    }
    if (is('GET', '/gateway')) return { url: this.gatewayUrl };
    if (is('GET', '/users/@me')) return userPayload(bot.user);
    if (is('GET', '/oauth2/applications/@me') || is('GET', '/applications/@me')) {
      return {
        id: bot.applicationId,
        name: bot.user.username,
        bot_public: true,
        bot_require_code_grant: false,
        flags: applicationFlags(bot),
        bot: userPayload(bot.user),
      };
    }
    if (is('POST', '/users/@me/channels')) {
      const recipient = String(body.recipient_id ?? '');
      if (!this.users.has(recipient)) throw new HttpError(400, formError('recipient_id', 'Unknown user'));
      return this.channelJson(this.dm(recipient, bot.user.id));
    }
    if (is('GET', '/channels/:id')) return this.channelJson(this.visibleChannel(bot, id1));
    if (is('GET', '/channels/:id/messages')) {
      const channel = this.visibleChannel(bot, id1);
      const limit = Math.min(Math.max(Number(query.get('limit') ?? 50), 1), 100);
      const before = query.get('before');
      const after = query.get('after');
      let list = [...(this.messages.get(channel.id) ?? [])];
      if (before) list = list.filter((m) => compareIds(m.id, before) < 0);
      if (after) list = list.filter((m) => compareIds(m.id, after) > 0);
      // Discord returns newest first; with `after` the page nearest `after`.
      list.sort((a, b) => compareIds(b.id, a.id));
      const page = after ? list.slice(-limit) : list.slice(0, limit);
      return page.map((m) => this.messageJson(m));
    }
    if (is('GET', '/channels/:id/messages/:id')) {
      this.visibleChannel(bot, id1);
      const message = this.messageIndex.get(id3);
      if (!message || message.channelId !== id1)
        throw new HttpError(404, { message: 'Unknown Message', code: 10008 });
      return this.messageJson(message);
    }
    if (is('POST', '/channels/:id/messages')) {
      const channel = this.visibleChannel(bot, id1);
      const content = checkContent(body.content);
      const reference = body.message_reference as { message_id?: string } | undefined;
      const replyTo = reference?.message_id;
      const mentions = new Set(mentionedIds(content));
      if (replyTo) {
        const replied = this.messageIndex.get(replyTo);
        if (!replied || replied.channelId !== channel.id) {
          throw new HttpError(400, formError('message_reference', 'Unknown message'));
        }
        const allowed = body.allowed_mentions as { replied_user?: boolean } | undefined;
        if (allowed?.replied_user !== false) mentions.add(replied.authorId);
      }
      const message = this.createMessage(channel, bot.user.id, content, [...mentions], replyTo);
      return this.messageJson(message);
    }
    if (is('PATCH', '/channels/:id/messages/:id')) {
      const channel = this.visibleChannel(bot, id1);
      const message = this.messageIndex.get(id3);
      if (!message || message.channelId !== channel.id)
        throw new HttpError(404, { message: 'Unknown Message', code: 10008 });
      if (message.authorId !== bot.user.id) {
        throw new HttpError(403, { message: 'Cannot edit a message authored by another user', code: 50005 });
      }
      const content = checkContent(body.content);
      const at = Date.now();
      message.content = content;
      message.editedAt = at;
      message.revisions.push({ content, at });
      this.dispatchMessage('MESSAGE_UPDATE', channel, message);
      this.changed();
      return this.messageJson(message);
    }
    if (is('POST', '/channels/:id/typing')) {
      this.visibleChannel(bot, id1);
      this.typings.push({ channelId: id1, botId: bot.user.id, at: Date.now() });
      return undefined;
    }
    if (is('POST', '/channels/:id/messages/:id/threads')) {
      this.visibleChannel(bot, id1);
      if (!this.messageIndex.has(id3)) throw new HttpError(404, { message: 'Unknown Message', code: 10008 });
      return this.channelJson(this.addThread(id1, String(body.name ?? 'thread'), id3));
    }
    if (is('POST', '/channels/:id/threads')) {
      this.visibleChannel(bot, id1);
      return this.channelJson(this.addThread(id1, String(body.name ?? 'thread')));
    }
    if (is('GET', '/guilds/:id/members/:id')) {
      const guild = this.guilds.get(id1);
      if (!guild?.members.has(bot.user.id))
        throw new HttpError(404, { message: 'Unknown Guild', code: 10004 });
      const roles = guild.members.get(id3);
      const user = this.users.get(id3);
      if (!roles || !user) throw new HttpError(404, { message: 'Unknown Member', code: 10007 });
      return memberPayload(user, roles);
    }
    throw new HttpError(404, { message: '404: Not Found', code: 0 });
  }
}

/** Flags of the application object: the Message Content intent as the portal has it. */
function applicationFlags(bot: EmulatedBot): number {
  // GATEWAY_MESSAGE_CONTENT (1 << 18) when the intent is enabled in the portal.
  return bot.messageContentIntent ? 1 << 18 : 0;
}

function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function mentionedIds(content: string): string[] {
  return [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] as string);
}

/** Bucket key as Discord groups routes: method, path with ids as `:id`, and the major parameter. */
function bucketKey(method: string, path: string): string {
  const parts = path.split('/').filter(Boolean);
  const major = (parts[0] === 'channels' || parts[0] === 'guilds') && parts[1] ? parts[1] : '';
  const template = `/${parts.map((p) => (SNOWFLAKE.test(p) ? ':id' : p)).join('/')}`;
  return `${method} ${template} ${major}`.trim();
}

function seconds(ms: number): string {
  // Rounded up, so a client that waits this long never comes back early.
  return (Math.ceil(ms) / 1000).toFixed(3);
}

function formError(field: string, message: string): Record<string, unknown> {
  return {
    message: 'Invalid Form Body',
    code: 50035,
    errors: { [field]: { _errors: [{ code: 'BASE_TYPE_INVALID', message }] } },
  };
}

function checkContent(value: unknown): string {
  const content = typeof value === 'string' ? value : '';
  if (content.length === 0) {
    throw new HttpError(400, { message: 'Cannot send an empty message', code: 50006 });
  }
  if (content.length > DISCORD_MAX_MESSAGE_LENGTH) {
    throw new HttpError(400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        content: {
          _errors: [
            {
              code: 'BASE_TYPE_MAX_LENGTH',
              message: `Must be ${DISCORD_MAX_MESSAGE_LENGTH} or fewer in length.`,
            },
          ],
        },
      },
    });
  }
  return content;
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function writeRateLimited(
  res: ServerResponse,
  retryAfterMs: number,
  bucket: { limit: number; remaining: number; resetAfterMs: number; bucket: string },
): void {
  res.setHeader('Retry-After', seconds(retryAfterMs));
  res.setHeader('X-RateLimit-Limit', String(bucket.limit));
  res.setHeader('X-RateLimit-Remaining', String(bucket.remaining));
  res.setHeader('X-RateLimit-Reset-After', seconds(bucket.resetAfterMs));
  res.setHeader('X-RateLimit-Scope', 'user');
  writeJson(res, 429, {
    message: 'You are being rate limited.',
    retry_after: Math.ceil(retryAfterMs) / 1000,
    global: false,
  });
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw new HttpError(400, { message: '400: Bad Request', code: 50109 });
  }
}

export { snowflakeTime };
