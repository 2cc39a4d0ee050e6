import { ConfabError, type Logger } from '@confab/core';
import { Client, Events, type Message } from 'discord.js';
import type { DiscordAccount } from './config.js';
import { CONFAB_INTENTS, CONFAB_PARTIALS } from './gateway-intents.js';
import { loginError } from './login-error.js';

/** Options of {@link MateClient}. */
export interface MateClientOptions {
  readonly transport: string;
  readonly account: DiscordAccount;
  readonly apiUrl?: string;
  readonly globalRequestsPerSecond: number;
  readonly readyTimeoutMs: number;
  readonly logger: Logger;
  /** Every message this client's gateway delivers (created, in any channel it can see). */
  readonly onMessage: (client: MateClient, message: Message) => void;
  /** A problem after login (a later gateway failure); the mate's other state stays as it is. */
  readonly onError: (client: MateClient, error: Error) => void;
  /** Whether a user id is one of the transport's mates (their edits are the engine's own). */
  readonly isMate: (userId: string) => boolean;
  /**
   * What the client delivered may no longer match Discord's history: in `channelId` (a message
   * edited or deleted there), or anywhere (events lost while the client was away).
   */
  readonly onGap: (client: MateClient, channelId?: string) => void;
}

/** One mate's bot account: a discord.js client logged in with the mate's token. */
export class MateClient {
  readonly client: Client;
  private ready = false;

  constructor(private readonly options: MateClientOptions) {
    this.client = new Client({
      intents: [...CONFAB_INTENTS],
      partials: [...CONFAB_PARTIALS],
      rest: {
        ...(options.apiUrl ? { api: options.apiUrl } : {}),
        globalRequestsPerSecond: options.globalRequestsPerSecond,
      },
    });
    this.client.on(Events.MessageCreate, (message) => options.onMessage(this, message));
    this.client.on(Events.ShardError, (error) =>
      options.logger.warn({ mate: this.mate, err: error }, 'discord: gateway error'),
    );
    // discord.js emits this only when it will not reconnect (a revoked token, a disallowed
    // intent): the mate is offline for good, so other mates take over its channels.
    this.client.on(Events.ShardDisconnect, (event) => {
      const wasReady = this.ready;
      this.ready = false;
      if (!wasReady) return;
      const cause =
        event.code === 4004
          ? new Error('Authentication failed')
          : event.code === 4014
            ? new Error('Used disallowed intents')
            : new Error(`the gateway closed the connection for good (code ${event.code})`);
      options.onError(this, loginError(options.transport, this.mate, cause));
      // Its channels pass to other mates, which ignored their messages until now.
      options.onGap(this);
    });
    this.client.on(Events.ShardResume, () =>
      options.logger.info({ mate: this.mate }, 'discord: gateway session resumed'),
    );
    // A resumed session gets the events it missed replayed; a new session after the first (the
    // old one could not be resumed) does not.
    this.client.on(Events.ShardReady, () => {
      if (!this.ready) return;
      options.logger.info({ mate: this.mate }, 'discord: new gateway session; events while away are lost');
      options.onGap(this);
    });
    // Edits and deletions are not delivered as messages, but change what history reads give.
    this.client.on(Events.MessageUpdate, (before, after) => {
      if (after.author && options.isMate(after.author.id)) return;
      // Discord also sends an update when it adds a link preview; the text stays the same.
      if (!before.partial && before.content === after.content) return;
      options.onGap(this, after.channelId);
    });
    this.client.on(Events.MessageDelete, (message) => options.onGap(this, message.channelId));
    this.client.on(Events.MessageBulkDelete, (_, channel) => options.onGap(this, channel.id));
  }

  get mate(): string {
    return this.options.account.mate;
  }

  get account(): DiscordAccount {
    return this.options.account;
  }

  /**
   * Whether login completed. It stays true while discord.js resumes or re-identifies after a
   * drop (the client's own `isReady()` does not), so events replayed on RESUME are delivered.
   */
  get isReady(): boolean {
    return this.ready && this.client.user !== null;
  }

  /** The bot user's id; only after {@link start}. */
  get userId(): string {
    const id = this.client.user?.id;
    if (!id) throw new ConfabError('discord.not-ready', `mate '${this.mate}' is not connected to Discord`);
    return id;
  }

  get displayName(): string {
    return this.client.user?.displayName ?? this.mate;
  }

  /** Logs in and waits until every guild is cached; rejects with an error naming the mate and the fix. */
  async start(): Promise<void> {
    const { transport, account, readyTimeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ConfabError(
              'discord.login-timeout',
              `transport '${transport}' mate '${account.mate}': Discord did not finish the login within ` +
                `${readyTimeoutMs} ms; check the network, or raise readyTimeoutMs`,
            ),
          ),
        readyTimeoutMs,
      );
    });
    try {
      await Promise.race([this.client.login(account.token).then(() => ready), timeout]);
      this.ready = true;
    } catch (error) {
      await this.client.destroy().catch(() => {});
      throw loginError(transport, account.mate, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.ready = false;
    await this.client.destroy();
  }

  /** Whether the account's allowlists let the mate speak in a guild channel (threads follow their parent). */
  allows(guildId: string, channelId: string, parentId?: string | null): boolean {
    const { guilds, channels } = this.options.account;
    if (guilds && !guilds.includes(guildId)) return false;
    if (channels && !channels.includes(channelId) && !(parentId && channels.includes(parentId))) return false;
    return true;
  }
}
