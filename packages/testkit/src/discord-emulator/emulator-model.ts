/** Channel types the emulator knows (Discord's numbers). */
export const ChannelKind = {
  GuildText: 0,
  DM: 1,
  PublicThread: 11,
} as const;
export type ChannelKind = (typeof ChannelKind)[keyof typeof ChannelKind];

/** Gateway intents the emulator enforces (Discord's bits). */
export const Intent = {
  Guilds: 1 << 0,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

/** Permission bits the emulator computes with (Discord's bits). */
export const Permission = {
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ReadMessageHistory: 1n << 16n,
} as const;

/** A Discord user: a person or a bot account. */
export interface EmulatedUser {
  readonly id: string;
  readonly username: string;
  readonly globalName: string | null;
  readonly bot: boolean;
}

/** A bot account: its user, its token and what the developer portal allows it. */
export interface EmulatedBot {
  readonly user: EmulatedUser;
  readonly token: string;
  readonly applicationId: string;
  /** Whether the Message Content privileged intent is enabled in the developer portal. */
  messageContentIntent: boolean;
}

export interface EmulatedRole {
  readonly id: string;
  readonly name: string;
  readonly permissions: bigint;
  readonly position: number;
}

export interface PermissionOverwrite {
  /** Role or user id. */
  readonly id: string;
  readonly type: 'role' | 'member';
  readonly allow: bigint;
  readonly deny: bigint;
}

export interface EmulatedGuild {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  /** Roles; the `@everyone` role has the guild's id. */
  readonly roles: EmulatedRole[];
  /** Member user id → role ids (besides `@everyone`). */
  readonly members: Map<string, string[]>;
}

export interface EmulatedChannel {
  readonly id: string;
  readonly type: ChannelKind;
  readonly name: string;
  readonly guildId?: string;
  /** A thread's parent channel. */
  readonly parentId?: string;
  /** A DM's two participants. */
  readonly recipients?: readonly [string, string];
  readonly overwrites: PermissionOverwrite[];
}

/** One text a message had, with when it got it. */
export interface MessageRevision {
  readonly content: string;
  readonly at: number;
}

/** A message as the emulator keeps it, with every edit. */
export interface EmulatedMessage {
  readonly id: string;
  readonly channelId: string;
  readonly authorId: string;
  content: string;
  readonly createdAt: number;
  editedAt: number | null;
  /** Every text the message had, first to last. */
  readonly revisions: MessageRevision[];
  readonly mentionIds: readonly string[];
  /** The message this one replies to. */
  readonly replyToId?: string;
}

/** A REST request the emulator answered. */
export interface RecordedRequest {
  readonly method: string;
  /** Path after `/api/v10`. */
  readonly path: string;
  /** Bucket key: method, route template and major parameter. */
  readonly bucket: string;
  /** The bot that made it, when authenticated. */
  readonly botId?: string;
  readonly status: number;
  readonly at: number;
  /** True for a 429 the client earned by ignoring the bucket (not an injected one). */
  readonly overLimit: boolean;
  readonly injected: boolean;
}
