export { default, default as discordTransportPlugin } from './plugin.js';
export {
  discordTransportConfigSchema,
  discordAccountSchema,
  type DiscordTransportConfig,
  type DiscordAccount,
} from './config.js';
export {
  DiscordTransport,
  DISCORD_MAX_MESSAGE_LENGTH,
  type StoredDiscordIdentity,
} from './discord-transport.js';
export { CONFAB_INTENTS, CONFAB_PERMISSIONS } from './gateway-intents.js';
export { checkBotAccount, type BotAccount } from './bot-account.js';
export { inviteUrl, invitePermissionNames, developerPortalSteps, CONFAB_SCOPES } from './invite-url.js';
