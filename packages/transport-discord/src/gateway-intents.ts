import { GatewayIntentBits, Partials, PermissionFlagsBits } from 'discord.js';

/**
 * Gateway intents confab asks for: guilds (channel cache), guild and direct messages, and the
 * Message Content privileged intent, without which guild messages arrive empty unless they
 * mention the mate.
 */
export const CONFAB_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
] as const;

/**
 * DMs arrive for channels discord.js has not cached, and edits and deletions for messages it has
 * not cached; it needs these partials to emit them.
 */
export const CONFAB_PARTIALS = [Partials.Channel, Partials.Message] as const;

/** Permissions a mate needs in a channel: see it, read history, post, and post in threads. */
export const CONFAB_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ReadMessageHistory;
