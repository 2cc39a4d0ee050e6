import type {
  EmulatedChannel,
  EmulatedGuild,
  EmulatedMessage,
  EmulatedRole,
  EmulatedUser,
  PermissionOverwrite,
} from './emulator-model.js';
import { ChannelKind } from './emulator-model.js';

// JSON shapes as Discord's API v10 sends them; discord.js reads these fields.

export function userPayload(user: EmulatedUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    global_name: user.globalName,
    discriminator: '0',
    avatar: null,
    bot: user.bot,
    system: false,
    public_flags: 0,
  };
}

export function rolePayload(role: EmulatedRole): Record<string, unknown> {
  return {
    id: role.id,
    name: role.name,
    permissions: role.permissions.toString(),
    position: role.position,
    color: 0,
    hoist: false,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

function overwritePayload(overwrite: PermissionOverwrite): Record<string, unknown> {
  return {
    id: overwrite.id,
    type: overwrite.type === 'role' ? 0 : 1,
    allow: overwrite.allow.toString(),
    deny: overwrite.deny.toString(),
  };
}

export function channelPayload(
  channel: EmulatedChannel,
  users: (id: string) => EmulatedUser | undefined,
): Record<string, unknown> {
  if (channel.type === ChannelKind.DM) {
    return {
      id: channel.id,
      type: channel.type,
      last_message_id: null,
      recipients: (channel.recipients ?? [])
        .map((id) => users(id))
        .filter((u): u is EmulatedUser => u !== undefined)
        .map(userPayload),
    };
  }
  const base = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
  if (channel.type === ChannelKind.PublicThread) {
    return {
      ...base,
      parent_id: channel.parentId,
      owner_id: null,
      message_count: 0,
      member_count: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    };
  }
  return {
    ...base,
    position: 0,
    parent_id: null,
    topic: null,
    nsfw: false,
    permission_overwrites: channel.overwrites.map(overwritePayload),
  };
}

export function memberPayload(user: EmulatedUser, roles: readonly string[]): Record<string, unknown> {
  return {
    user: userPayload(user),
    nick: null,
    avatar: null,
    roles: [...roles],
    joined_at: new Date(0).toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
  };
}

/** A GUILD_CREATE payload: everything discord.js caches about a guild. */
export function guildPayload(
  guild: EmulatedGuild,
  channels: readonly EmulatedChannel[],
  members: readonly Record<string, unknown>[],
  users: (id: string) => EmulatedUser | undefined,
): Record<string, unknown> {
  const threads = channels.filter((c) => c.type === ChannelKind.PublicThread);
  const others = channels.filter((c) => c.type !== ChannelKind.PublicThread);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: guild.roles.map(rolePayload),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_id: null,
    system_channel_flags: 0,
    premium_tier: 0,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    joined_at: new Date(0).toISOString(),
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members,
    channels: others.map((c) => channelPayload(c, users)),
    threads: threads.map((c) => channelPayload(c, users)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A message payload; `content` may be blanked by the caller for intent rules. */
export function messagePayload(
  message: EmulatedMessage,
  context: {
    readonly guildId: string | undefined;
    readonly user: (id: string) => EmulatedUser | undefined;
    readonly message: (id: string) => EmulatedMessage | undefined;
    readonly includeReferenced?: boolean;
  },
): Record<string, unknown> {
  const author = context.user(message.authorId);
  const referenced = message.replyToId ? context.message(message.replyToId) : undefined;
  return {
    id: message.id,
    channel_id: message.channelId,
    ...(context.guildId ? { guild_id: context.guildId } : {}),
    author: author ? userPayload(author) : undefined,
    content: message.content,
    timestamp: new Date(message.createdAt).toISOString(),
    edited_timestamp: message.editedAt === null ? null : new Date(message.editedAt).toISOString(),
    tts: false,
    mention_everyone: false,
    mentions: message.mentionIds
      .map((id) => context.user(id))
      .filter((u): u is EmulatedUser => u !== undefined)
      .map(userPayload),
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: message.replyToId ? 19 : 0,
    flags: 0,
    ...(message.replyToId
      ? {
          message_reference: {
            type: 0,
            message_id: message.replyToId,
            channel_id: message.channelId,
            ...(context.guildId ? { guild_id: context.guildId } : {}),
          },
          referenced_message:
            referenced && context.includeReferenced !== false
              ? messagePayload(referenced, { ...context, includeReferenced: false })
              : null,
        }
      : {}),
  };
}
