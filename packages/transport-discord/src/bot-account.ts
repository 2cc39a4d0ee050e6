import { ConfabError } from '@confab/core';
import {
  type APIApplication,
  type APIUser,
  ApplicationFlags,
  DiscordAPIError,
  REST,
  Routes,
} from 'discord.js';

/** What Discord says about a bot token. */
export interface BotAccount {
  readonly userId: string;
  readonly username: string;
  readonly applicationId: string;
  /** Whether the Message Content privileged intent is enabled in the developer portal. */
  readonly messageContentIntent: boolean;
}

/**
 * Checks a bot token against Discord's API (`GET /users/@me`, `GET /applications/@me`) without
 * connecting to the gateway. `apiUrl` points at an emulator in tests. The token never appears in
 * an error.
 */
export async function checkBotAccount(token: string, options: { apiUrl?: string } = {}): Promise<BotAccount> {
  const rest = new REST({ ...(options.apiUrl ? { api: options.apiUrl } : {}), retries: 1 }).setToken(token);
  try {
    const user = (await rest.get(Routes.user())) as APIUser;
    const application = (await rest.get(Routes.currentApplication())) as APIApplication;
    const flags = application.flags ?? 0;
    return {
      userId: user.id,
      username: user.username,
      applicationId: application.id,
      messageContentIntent:
        (flags & (ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited)) !==
        0,
    };
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401) {
      throw new ConfabError(
        'discord.invalid-token',
        'Discord rejected the bot token. Copy a fresh one from the developer portal (your application → Bot → Reset Token)',
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfabError('discord.unreachable', `could not check the token with Discord: ${message}`, {
      cause: error,
    });
  }
}
