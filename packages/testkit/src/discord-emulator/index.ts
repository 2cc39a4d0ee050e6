export {
  DiscordEmulator,
  DISCORD_MAX_MESSAGE_LENGTH,
  snowflakeTime,
  type DiscordEmulatorOptions,
  type EmulatorRateLimits,
  type InjectedRateLimit,
  type TypingRecord,
  type UserMessageOptions,
} from './discord-emulator.js';
export {
  ChannelKind,
  Intent,
  Permission,
  type EmulatedBot,
  type EmulatedChannel,
  type EmulatedGuild,
  type EmulatedMessage,
  type EmulatedRole,
  type EmulatedUser,
  type MessageRevision,
  type PermissionOverwrite,
  type RecordedRequest,
} from './emulator-model.js';
export type { BucketLimit } from './rate-limit-buckets.js';
