import {
  type BotIdentity,
  type ChatLocation,
  type ChatMessage,
  ConfabError,
  type HistoryQuery,
  type InboundHandler,
  type Logger,
  type MateConfig,
  type OutboundTarget,
  type SentMessage,
  type Store,
  type Transport,
  type TransportCapabilities,
  withRetryAfter,
} from '@confab/core';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import type { RustSdkCryptoStorageProvider } from 'matrix-bot-sdk';
import { accessTokenFor } from './account-credentials.js';
import type { MatrixAccountConfig, MatrixBotAccountConfig, MatrixTransportConfig } from './config.js';
import { InvitePolicy, serverOf } from './invite-policy.js';
import { type GapAwareMatrixClient, gapAwareClient } from './gap-aware-client.js';
import { type LoadedMatrixSdk, loadMatrixSdk } from './load-matrix-sdk.js';
import { isEdit, type MatrixEvent, parseMessage } from './matrix-event.js';
import { editContent, messageContent } from './outbound-content.js';
import { MatrixRequestError, toSafeError } from './matrix-request-error.js';
import { matrixRetryAfterMs } from './rate-limit.js';
import { type Retrying, threadEvents, timelineEvents } from './room-history.js';
import { isRoomAdminIn, type RoomCreateEvent, type RoomPowerLevels } from './room-admin.js';
import { RoomRecords } from './room-records.js';
import { BOT_ACCOUNT } from './stored-identity.js';
import { StoreSyncStorage } from './sync-storage.js';

/** Platform name of Matrix messages. */
export const MATRIX_PLATFORM = 'matrix';

/** What {@link MatrixTransport} needs. */
export interface MatrixTransportOptions {
  /** Instance name from the config. */
  readonly name: string;
  readonly config: MatrixTransportConfig;
  /** The bot's mates (for names and display names). */
  readonly mates: readonly MateConfig[];
  /** The bot's store (opened by the bot before the transports start). */
  readonly store: Store;
  readonly logger: Logger;
  /** Absolute directory of the crypto stores, when `encryption` is configured. */
  readonly encryptionStorePath?: string;
}

/** One logged-in Matrix user and the mates it speaks for. */
interface Connection {
  readonly client: GapAwareMatrixClient;
  readonly storage: StoreSyncStorage;
  readonly userId: string;
  readonly mates: readonly string[];
}

/** A room message the transport saw, as far as a reply to it needs. */
interface SeenEvent {
  readonly sender: string;
  readonly text?: string;
}

// Bounds of what the transport remembers; what is forgotten is asked of the homeserver again.
const RECENT_EVENTS = 5000;
const ROOMS = 1000;
const DISPLAY_NAMES = 10_000;
const TYPING_TIMEOUT_MS = 20_000;

/** An error answer of the homeserver saying that what was asked for does not exist. */
const isNotFoundAnswer = (part: unknown): boolean =>
  typeof part === 'object' && part !== null && (part as { errcode?: unknown }).errcode === 'M_NOT_FOUND';

/**
 * Matrix through matrix-bot-sdk: one Matrix user per mate, or one user hosting several mates.
 * Accepts invites from allowed inviters, reads mentions, replies and threads, streams replies by
 * `m.replace` edits, and never delivers history from before its start as new messages.
 */
export class MatrixTransport implements Transport {
  readonly platform = MATRIX_PLATFORM;
  readonly name: string;
  readonly capabilities: TransportCapabilities;
  private readonly config: MatrixTransportConfig;
  private readonly logger: Logger;
  private readonly connections: Connection[] = [];
  private readonly byMate = new Map<string, Connection>();
  /** Room events already delivered (several connections see each one). */
  private readonly recent = new LRUCache<string, true>({ max: RECENT_EVENTS });
  /** Messages seen live, sent, or read in history, by event id: what a reply to them needs. */
  private readonly seen = new LRUCache<string, SeenEvent>({ max: RECENT_EVENTS });
  private readonly members = new LRUCache<string, Promise<string[]>>({ max: ROOMS });
  private readonly displayNames = new LRUCache<string, string>({ max: DISPLAY_NAMES });
  /** History epochs, drawn from one counter so a room's and the transport-wide one compare. */
  private lastEpoch = 0;
  private everywhereEpoch = 0;
  private readonly roomEpochs = new LRUCache<string, number>({ max: ROOMS });
  private ids: BotIdentity[] = [];
  private knownNames = new Map<string, string>();
  private onMessage: InboundHandler | undefined;
  private running = false;
  private sdk: LoadedMatrixSdk | undefined;
  private rooms: RoomRecords | undefined;
  private policy: InvitePolicy | undefined;

  /** Typing notifications, unless the config turns them off. */
  readonly typing?: (target: OutboundTarget, active: boolean) => Promise<void>;

  constructor(private readonly options: MatrixTransportOptions) {
    this.name = options.name;
    this.config = options.config;
    this.logger = options.logger;
    this.capabilities = {
      maxMessageLength: this.config.maxMessageLength,
      edits: true,
      minEditIntervalMs: this.config.editIntervalMs,
    };
    if (this.config.typing) this.typing = (target, active) => this.showTyping(target, active);
  }

  identities(): readonly BotIdentity[] {
    return this.ids;
  }

  async start(onMessage: InboundHandler): Promise<void> {
    if (this.running) return;
    this.onMessage = onMessage;
    // Whatever happened while the transport was stopped was not delivered.
    this.gap();
    this.sdk = loadMatrixSdk();
    this.routeSdkLogs();
    const { store } = this.options;
    this.rooms = new RoomRecords(store, this.name);

    const accounts: {
      account: MatrixAccountConfig | MatrixBotAccountConfig;
      key: string;
      mates: string[];
    }[] = this.config.accounts
      ? this.config.accounts.map((a) => ({ account: a, key: a.mate, mates: [a.mate] }))
      : [
          {
            account: this.config.bot as MatrixBotAccountConfig,
            key: BOT_ACCOUNT,
            mates: this.config.bot?.mates ?? this.options.mates.map((m) => m.name),
          },
        ];
    for (const { key, mates } of accounts) {
      for (const mate of mates) {
        if (!this.options.mates.some((m) => m.name === mate)) {
          throw new ConfabError(
            'config.invalid',
            `transport '${this.name}': mate '${mate}' is not configured; expected one of: ${this.options.mates.map((m) => m.name).join(', ')}`,
          );
        }
      }
      if (mates.length === 0) {
        throw new ConfabError('config.invalid', `transport '${this.name}': account '${key}' hosts no mates`);
      }
    }

    this.running = true;
    try {
      for (const { account, key, mates } of accounts) {
        const connection = await this.connect(account, key, mates, store);
        this.connections.push(connection);
        for (const mate of mates) this.byMate.set(mate, connection);
      }
      const ownServer = serverOf(this.connections[0]?.userId ?? '@x:localhost');
      this.policy = new InvitePolicy({
        allowUsers: this.config.invites.allowUsers,
        allowServers: this.config.invites.allowServers ?? [ownServer],
      });
      this.ids = this.connections.flatMap((c) =>
        c.mates.map((mate) => ({ mate, userId: c.userId, displayName: this.displayNameOf(mate) })),
      );
      // Plain-text mentions by display name, only where a display name means one user.
      this.knownNames = new Map(
        this.config.accounts ? this.ids.map((i) => [i.displayName, i.userId] as const) : [],
      );
      for (const connection of this.connections) await this.startSyncing(connection);
    } catch (error) {
      await this.stop();
      throw error;
    }
    if (!this.sdk.cryptoAvailable) {
      this.logger.info(
        { transport: this.name, reason: this.sdk.cryptoProblem },
        'matrix: native crypto module not available; unencrypted rooms only',
      );
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    // matrix-bot-sdk lets the long-poll in flight run out (syncTimeoutMs); events it still
    // returns are ignored because `running` is false.
    for (const connection of this.connections) {
      // Its last sync's events are not delivered; keep the stored position before them.
      connection.storage.freeze();
      connection.client.stop();
    }
    this.connections.length = 0;
    this.byMate.clear();
  }

  // ---- connecting -------------------------------------------------------------------------

  private displayNameOf(mate: string): string {
    const config = this.options.mates.find((m) => m.name === mate);
    return config?.displayName ?? mate;
  }

  private async connect(
    account: MatrixAccountConfig | MatrixBotAccountConfig,
    key: string,
    mates: readonly string[],
    store: Store,
  ): Promise<Connection> {
    const { sdk } = this.sdk as LoadedMatrixSdk;
    const where = this.config.accounts ? `account of mate '${key}'` : 'bot account';
    const accessToken = await accessTokenFor(account, key, {
      sdk,
      homeserver: this.config.homeserver,
      transport: this.name,
      store,
      where,
      ...(this.config.accounts ? { mate: key } : {}),
      request: (run) => this.request(where, run),
    });
    const probe = new sdk.MatrixClient(this.config.homeserver, accessToken);
    const userId = await this.request(where, () => probe.getUserId());
    if (account.userId !== undefined && account.userId !== userId) {
      throw new ConfabError(
        'config.invalid',
        `transport '${this.name}': the access token of the ${where} belongs to ${userId}, not ${account.userId}`,
      );
    }
    const storage = new StoreSyncStorage(store, `${this.name}\u001d${userId}`);
    const client = new (gapAwareClient(sdk))(
      this.config.homeserver,
      accessToken,
      storage,
      this.cryptoStore(userId),
    );
    client.syncingTimeout = this.config.syncTimeoutMs;
    // The homeserver left events of the room out of a sync: they were never delivered.
    client.onTimelineGap = (roomId) => this.gap(roomId);
    if (this.config.accounts && mates.length === 1) {
      const wanted = this.displayNameOf(mates[0] as string);
      const profile = await client.getUserProfile(userId).catch(() => undefined);
      if (profile?.displayname !== wanted) await this.withRetry(() => client.setDisplayName(wanted));
    }
    return { client, storage, userId, mates };
  }

  /** The crypto store of a user when encryption is configured and the native module loaded. */
  private cryptoStore(userId: string): RustSdkCryptoStorageProvider | undefined {
    const { sdk, cryptoAvailable, cryptoProblem } = this.sdk as LoadedMatrixSdk;
    const storePath = this.options.encryptionStorePath;
    if (storePath === undefined) return undefined;
    if (!cryptoAvailable) {
      this.logger.warn(
        { transport: this.name, reason: cryptoProblem },
        'matrix: encryption is configured but @matrix-org/matrix-sdk-crypto-nodejs is not available; unencrypted rooms only',
      );
      return undefined;
    }
    return new sdk.RustSdkCryptoStorageProvider(join(storePath, userId.replace(/[^A-Za-z0-9._-]/g, '_')));
  }

  /** Runs a request during start-up; connection problems become errors the operator can act on. */
  private async request<T>(where: string, run: () => Promise<T>): Promise<T> {
    try {
      return await this.withRetry(run);
    } catch (error) {
      if (!(error instanceof MatrixRequestError)) throw error;
      const { errcode, statusCode, code } = error;
      if (errcode === 'M_UNKNOWN_TOKEN' || errcode === 'M_FORBIDDEN' || errcode === 'M_MISSING_TOKEN') {
        throw new ConfabError(
          'transport.auth',
          `transport '${this.name}': the homeserver refused the ${where} (${errcode}); check its accessToken or password`,
          { cause: error },
        );
      }
      if (errcode === undefined) {
        const why =
          statusCode !== undefined
            ? `it answered HTTP ${statusCode}, not the Matrix client API`
            : `cannot reach it (${code ?? error.message})`;
        throw new ConfabError(
          'transport.unreachable',
          `transport '${this.name}': homeserver ${this.config.homeserver}: ${why}; check \`homeserver\``,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private async startSyncing(connection: Connection): Promise<void> {
    const { client } = connection;
    client.on('room.message', (roomId: string, event: MatrixEvent) =>
      this.guard(() => this.onRoomMessage(connection, roomId, event)),
    );
    client.on('room.event', (roomId: string, event: MatrixEvent) =>
      this.guard(() => this.onRoomEvent(connection, roomId, event)),
    );
    client.on('room.invite', (roomId: string, event: MatrixEvent) =>
      this.guard(() => this.onInvite(connection, roomId, event)),
    );
    client.on('room.leave', (roomId: string) => this.guard(() => this.onLeave(connection, roomId)));

    const { storage } = connection;
    if ((await storage.getSyncToken()) === null) {
      // A first sync without a token replays room history. Take a position now, without
      // timeline, and continue from it: nothing sent before the start is delivered as new.
      // Pending invites of that sync are still answered. Synapse caches identical initial syncs
      // of a user for minutes and would hand back an old position; the never-matching type makes
      // the request unique.
      const nonce = `org.confab.position.${Date.now()}.${Math.random().toString(36).slice(2)}`;
      const initial = (await this.withRetry(() =>
        client.doRequest('GET', '/_matrix/client/v3/sync', {
          timeout: 0,
          filter: JSON.stringify({
            room: { timeline: { limit: 0, not_types: [nonce] }, state: { lazy_load_members: true } },
          }),
        }),
      )) as {
        next_batch: string;
        rooms?: { invite?: Record<string, { invite_state?: { events?: MatrixEvent[] } }> };
      };
      await storage.setSyncToken(initial.next_batch);
      for (const [roomId, room] of Object.entries(initial.rooms?.invite ?? {})) {
        const invite = room.invite_state?.events?.find(
          (e) =>
            e.type === 'm.room.member' &&
            e.state_key === connection.userId &&
            e.content.membership === 'invite',
        );
        if (invite) await this.guard(() => this.onInvite(connection, roomId, invite));
      }
    }
    await client.start();
  }

  private routeSdkLogs(): void {
    const { sdk } = this.sdk as LoadedMatrixSdk;
    const log = this.logger.child({ transport: this.name, module: 'matrix-bot-sdk' });
    // matrix-bot-sdk's logger is global; its messages never contain access tokens (they travel in headers).
    const text = (parts: unknown[]) =>
      parts
        .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p)))
        .join(' ');
    sdk.LogService.setLogger({
      trace: () => {},
      debug: (module: string, ...parts: unknown[]) => log.debug({ sdkModule: module }, text(parts)),
      info: (module: string, ...parts: unknown[]) => log.debug({ sdkModule: module }, text(parts)),
      warn: (module: string, ...parts: unknown[]) => log.warn({ sdkModule: module }, text(parts)),
      error: (module: string, ...parts: unknown[]) => {
        // The HTTP layer logs every error answer before throwing it to the caller, which decides.
        // M_NOT_FOUND is an answer callers expect, such as the SDK reading `m.direct` account
        // data on every start, which a new account does not have yet.
        if (module === 'MatrixHttpClient' && parts.some(isNotFoundAnswer)) {
          log.debug({ sdkModule: module }, text(parts));
        } else if (this.running) log.warn({ sdkModule: module }, text(parts));
      },
    });
    sdk.LogService.setLevel(sdk.LogLevel.INFO);
  }

  private guard(run: () => Promise<void>): Promise<void> {
    return run().catch((error: unknown) => {
      this.logger.warn({ err: toSafeError(error), transport: this.name }, 'matrix: handling an event failed');
    });
  }

  /** Runs a request, retrying after `M_LIMIT_EXCEEDED`; failures leave as {@link MatrixRequestError}s. */
  private async withRetry<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await this.retrying(run);
    } catch (error) {
      throw toSafeError(error);
    }
  }

  private retrying<T>(run: () => Promise<T>): Promise<T> {
    return withRetryAfter(run, {
      retryAfterMs: matrixRetryAfterMs,
      maxRetries: this.config.rateLimit.maxRetries,
      maxWaitMs: this.config.rateLimit.maxWaitMs,
      onRetry: ({ waitMs, attempt }) =>
        this.logger.info(
          { transport: this.name, waitMs, attempt },
          'matrix: rate limited (M_LIMIT_EXCEEDED); waiting',
        ),
    });
  }

  // ---- inbound ----------------------------------------------------------------------------

  private isOwn(userId: string): boolean {
    return this.connections.some((c) => c.userId === userId);
  }

  /** Whether this event is seen for the first time by this process (several mates see each room event). */
  private firstSight(eventId: string): boolean {
    if (this.recent.has(eventId)) return false;
    this.recent.set(eventId, true);
    return true;
  }

  private async onRoomMessage(connection: Connection, roomId: string, event: MatrixEvent): Promise<void> {
    if (!this.running || !this.onMessage) return;
    this.remember(event);
    if (this.isOwn(event.sender)) return;
    if (isEdit(event)) {
      // Not delivered as a message, but it changes what reading the room's history gives.
      this.gap(roomId);
      return;
    }
    if (!this.firstSight(`${roomId}\u001d${event.event_id}`)) return;
    const message = await this.toChatMessage(connection, roomId, event);
    if (message && this.running) await this.onMessage(message);
  }

  private async toChatMessage(
    connection: Connection,
    roomId: string,
    event: MatrixEvent,
  ): Promise<ChatMessage | undefined> {
    const parsed = parseMessage(event, this.knownNames);
    if (!parsed) return undefined;
    const isDirect = await this.isDirect(connection, roomId);
    // A mate can only answer where its user is a member; naming one that is not here addresses no one.
    const members = await this.joinedMembers(connection, roomId).catch(() => undefined);
    const mentions = members
      ? parsed.mentions.filter((id) => !this.isOwn(id) || members.includes(id))
      : parsed.mentions;
    const audience = members
      ? this.connections.filter((c) => members.includes(c.userId)).flatMap((c) => c.mates)
      : undefined;
    const replied =
      parsed.replyTo !== undefined ? await this.repliedTo(connection, roomId, parsed.replyTo) : undefined;
    return {
      id: event.event_id,
      platform: MATRIX_PLATFORM,
      transport: this.name,
      roomId,
      ...(parsed.threadId !== undefined ? { threadId: parsed.threadId } : {}),
      isDirect,
      sender: {
        id: event.sender,
        name: await this.displayName(connection, roomId, event.sender),
        isBot: parsed.notice,
      },
      text: parsed.text,
      mentions,
      ...(parsed.replyTo !== undefined
        ? {
            replyTo: {
              messageId: parsed.replyTo,
              ...(replied ? { senderId: replied.sender } : {}),
              ...(replied?.text !== undefined ? { text: replied.text } : {}),
            },
          }
        : {}),
      timestamp: event.origin_server_ts,
      // A mate's own account received it; with one shared user the room's default mate decides.
      ...(this.config.accounts ? { receivedBy: connection.userId } : {}),
      ...(audience ? { audience } : {}),
    };
  }

  private remember(event: MatrixEvent): void {
    if (isEdit(event)) return;
    const text = parseMessage(event)?.text;
    this.seen.set(
      event.event_id,
      text === undefined ? { sender: event.sender } : { sender: event.sender, text },
    );
  }

  /** The message a reply answers: from what the transport saw, else from the homeserver. */
  private async repliedTo(
    connection: Connection,
    roomId: string,
    eventId: string,
  ): Promise<SeenEvent | undefined> {
    const known = this.seen.get(eventId);
    if (known) return known;
    try {
      const event = (await this.withRetry(() => connection.client.getEvent(roomId, eventId))) as MatrixEvent;
      this.remember(event);
      return this.seen.get(eventId) ?? { sender: event.sender };
    } catch {
      return undefined;
    }
  }

  private async displayName(connection: Connection, roomId: string, userId: string): Promise<string> {
    const key = `${roomId}\u001d${userId}`;
    const cached = this.displayNames.get(key);
    if (cached) return cached;
    let name = userId.slice(1, userId.indexOf(':'));
    try {
      const member = (await connection.client.getRoomStateEvent(roomId, 'm.room.member', userId)) as {
        displayname?: unknown;
      };
      if (typeof member.displayname === 'string' && member.displayname.trim()) name = member.displayname;
    } catch {
      // No member event readable: the localpart is a fine name.
    }
    this.displayNames.set(key, name);
    return name;
  }

  private joinedMembers(connection: Connection, roomId: string): Promise<string[]> {
    let members = this.members.get(roomId);
    if (!members) {
      members = this.withRetry(() => connection.client.getJoinedRoomMembers(roomId));
      members.catch(() => this.members.delete(roomId));
      this.members.set(roomId, members);
    }
    return members;
  }

  private async isDirect(connection: Connection, roomId: string): Promise<boolean> {
    const record = await this.rooms?.get(roomId);
    const members = await this.joinedMembers(connection, roomId);
    // Invited as a DM (is_direct) and still just the two of them; or any room of one person and
    // one mate, even when no one flagged it so. A DM others were invited to is a group room now.
    if (record?.direct && members.length <= 2) return true;
    return members.length === 2 && members.filter((m) => this.isOwn(m)).length === 1;
  }

  private async onRoomEvent(connection: Connection, roomId: string, event: MatrixEvent): Promise<void> {
    if (!this.running) return;
    if (event.type === 'm.room.redaction') {
      this.gap(roomId);
      return;
    }
    if (event.type === 'm.room.member') {
      this.members.delete(roomId);
      if (event.state_key !== undefined) this.displayNames.delete(`${roomId}\u001d${event.state_key}`);
      const membership = event.content.membership;
      if ((membership === 'leave' || membership === 'ban') && !this.isOwn(event.state_key ?? '')) {
        await this.leaveIfEmpty(connection, roomId);
      }
      return;
    }
    if (
      (event.type === 'm.room.encrypted' || event.type === 'm.room.encryption') &&
      !connection.client.crypto
    ) {
      await this.noticeEncrypted(connection, roomId);
    }
  }

  private async noticeEncrypted(connection: Connection, roomId: string): Promise<void> {
    if (!(await this.rooms?.claimEncryptedNotice(roomId))) return;
    const reason = this.sdk?.cryptoAvailable
      ? 'encryption is not configured for this bot'
      : 'the native module @matrix-org/matrix-sdk-crypto-nodejs is not installed';
    this.logger.warn(
      { transport: this.name, room: roomId },
      `matrix: room is end-to-end encrypted and unsupported here (${reason}); its messages are not read`,
    );
    await this.withRetry(() =>
      connection.client.sendNotice(
        roomId,
        `This room is end-to-end encrypted, and this bot cannot read encrypted messages (${reason}). Please talk to me in an unencrypted room.`,
      ),
    ).catch((error: unknown) =>
      this.logger.warn(
        { err: toSafeError(error), room: roomId },
        'matrix: could not send the encryption notice',
      ),
    );
  }

  private async leaveIfEmpty(connection: Connection, roomId: string): Promise<void> {
    if (!this.config.leaveEmptyRooms) return;
    const members = await this.joinedMembers(connection, roomId);
    if (members.some((m) => !this.isOwn(m))) return;
    this.logger.info({ transport: this.name, room: roomId }, 'matrix: everyone else left; leaving the room');
    for (const c of this.connections) {
      if (members.includes(c.userId))
        await this.withRetry(() => c.client.leaveRoom(roomId)).catch(() => undefined);
    }
    this.members.delete(roomId);
    await this.rooms?.forget(roomId);
  }

  private async onInvite(connection: Connection, roomId: string, event: MatrixEvent): Promise<void> {
    if (!this.running) return;
    const inviter = event.sender;
    if (!this.policy?.allows(inviter)) {
      this.logger.info(
        { transport: this.name, room: roomId, inviter },
        'matrix: invite refused (inviter not allowed)',
      );
      // Rejecting with a reason tells the inviter why, without joining the room.
      await this.withRetry(() =>
        connection.client.doRequest(
          'POST',
          `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/leave`,
          null,
          {
            reason: this.config.invites.refusal,
          },
        ),
      );
      return;
    }
    await this.withRetry(() => connection.client.joinRoom(roomId));
    this.members.delete(roomId);
    await this.rooms?.remember(roomId, {
      direct: event.content.is_direct === true,
      invitedBy: inviter,
      joinedAt: Date.now(),
    });
    this.logger.info(
      { transport: this.name, room: roomId, inviter, direct: event.content.is_direct === true },
      'matrix: joined a room on invite',
    );
  }

  private async onLeave(connection: Connection, roomId: string): Promise<void> {
    this.members.delete(roomId);
    const stillIn = await Promise.all(
      this.connections
        .filter((c) => c !== connection)
        .map((c) =>
          c.client.getJoinedRooms().then(
            (rooms) => rooms.includes(roomId),
            () => false,
          ),
        ),
    );
    if (!stillIn.includes(true)) await this.rooms?.forget(roomId);
  }

  // ---- outbound ---------------------------------------------------------------------------

  private connectionFor(mate: string): Connection {
    const connection = this.byMate.get(mate) ?? (this.config.bot ? this.connections[0] : undefined);
    if (!connection)
      throw new ConfabError('transport.unknown-mate', `transport '${this.name}' hosts no mate '${mate}'`);
    return connection;
  }

  /** The name prefix that says which mate speaks, where one user hosts several. */
  private speaker(mate: string, connection: Connection): string {
    return connection.mates.length > 1 ? `**${this.displayNameOf(mate)}**: ` : '';
  }

  async send(target: OutboundTarget, text: string): Promise<SentMessage> {
    const connection = this.connectionFor(target.mate);
    const content = messageContent(this.speaker(target.mate, connection) + text, {
      ...(target.replyTo !== undefined ? { replyTo: target.replyTo } : {}),
      ...(target.threadId !== undefined ? { threadId: target.threadId } : {}),
    });
    const id = await this.withRetry(() => connection.client.sendMessage(target.roomId, content));
    this.seen.set(id, { sender: connection.userId, text });
    return { id };
  }

  async edit(target: OutboundTarget, messageId: string, text: string): Promise<void> {
    const connection = this.connectionFor(target.mate);
    await this.withRetry(() =>
      connection.client.sendMessage(
        target.roomId,
        editContent(messageId, this.speaker(target.mate, connection) + text),
      ),
    );
  }

  private async showTyping(target: OutboundTarget, active: boolean): Promise<void> {
    const connection = this.connectionFor(target.mate);
    await connection.client.setTyping(target.roomId, active, TYPING_TIMEOUT_MS);
  }

  async isRoomAdmin(message: ChatMessage): Promise<boolean> {
    const { client } = await this.connectionIn(message.roomId);
    const room = encodeURIComponent(message.roomId);
    // The full create event: its sender is the creator, which the content alone does not name.
    const [create, powerLevels] = await Promise.all([
      client
        .doRequest('GET', `/_matrix/client/v3/rooms/${room}/state/m.room.create/`, { format: 'event' })
        .catch(() => undefined) as Promise<RoomCreateEvent | undefined>,
      client.getRoomStateEvent(message.roomId, 'm.room.power_levels', '').catch(() => undefined) as Promise<
        RoomPowerLevels | undefined
      >,
    ]);
    return isRoomAdminIn(message.sender.id, {
      ...(create ? { create } : {}),
      ...(powerLevels ? { powerLevels } : {}),
    });
  }

  /** A connection whose user is in the room (history and state reads need membership). */
  private async connectionIn(roomId: string): Promise<Connection> {
    if (this.connections.length === 1) return this.connections[0] as Connection;
    for (const connection of this.connections) {
      const members = await this.joinedMembers(connection, roomId).catch(() => [] as string[]);
      if (members.includes(connection.userId)) return connection;
    }
    const first = this.connections[0];
    if (!first) throw new ConfabError('transport.stopped', `transport '${this.name}' is not started`);
    return first;
  }

  /**
   * Oldest-first history from the homeserver: the room's main timeline (`/messages`), or a
   * thread's root and replies (`/relations`), with edits applied.
   */
  async fetchHistory(message: ChatMessage, query: HistoryQuery): Promise<ChatMessage[]> {
    const { roomId, threadId } = message;
    const connection = await this.connectionIn(roomId);
    const read = {
      client: connection.client,
      retrying: ((run) => this.withRetry(run)) as Retrying,
      roomId,
      limit: query.limit,
      after: query.after?.timestamp ?? Number.NEGATIVE_INFINITY,
      // Only messages count against the limit: fewer than asked means the room has no more.
      keep: (event: MatrixEvent) => parseMessage(event) !== undefined,
    };
    const events =
      threadId !== undefined ? await threadEvents({ ...read, threadId }) : await timelineEvents(read);
    events.reverse();
    // Replies among them are resolved from the page rather than one request each.
    for (const event of events) this.remember(event);
    const messages: ChatMessage[] = [];
    for (const event of events) {
      const found = await this.toChatMessage(connection, roomId, event);
      if (found) messages.push(this.ownText(found));
    }
    return messages;
  }

  /**
   * Changes when the transport starts, and per room when the homeserver left events out of a
   * sync or someone edited or redacted a message there.
   */
  historyEpoch(location: ChatLocation): number {
    return Math.max(this.everywhereEpoch, this.roomEpochs.get(location.roomId) ?? 0);
  }

  private gap(roomId?: string): void {
    const epoch = ++this.lastEpoch;
    if (roomId === undefined) this.everywhereEpoch = epoch;
    else this.roomEpochs.set(roomId, epoch);
  }

  /** Own messages in history without the speaker prefix the shared user adds. */
  private ownText(message: ChatMessage): ChatMessage {
    const connection = this.connections.find((c) => c.userId === message.sender.id);
    if (!connection || connection.mates.length < 2) return message;
    return { ...message, text: message.text.replace(/^\*\*[^*]+\*\*: /, '') };
  }
}
