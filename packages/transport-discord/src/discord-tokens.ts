import type { Store } from '@confab/core';

/** DI tokens of this package. */
export const DiscordTokens = {
  /**
   * `() => Store | undefined`: the bot's store, read lazily because the bot registers it after
   * the transports (bare test containers may have none).
   */
  StoreAccess: Symbol.for('confab.discord.StoreAccess'),
} as const;

/** What {@link DiscordTokens.StoreAccess} holds. */
export type StoreAccess = () => Store | undefined;
