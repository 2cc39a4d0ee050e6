import { ConfabError, isConfabError } from '@confab/core';

/**
 * Turns what discord.js throws at login into an error that names the mate and the fix. The token
 * never appears: discord.js's messages do not contain it, and ours do not either.
 */
export function loginError(transport: string, mate: string, error: unknown): ConfabError {
  if (isConfabError(error)) return error;
  const code = (error as { code?: unknown })?.code;
  const status = (error as { status?: unknown })?.status;
  const message = error instanceof Error ? error.message : String(error);
  const where = `transport '${transport}' mate '${mate}'`;
  if (code === 'TokenInvalid' || status === 401 || /Authentication failed/i.test(message)) {
    return new ConfabError(
      'discord.invalid-token',
      `${where}: Discord rejected the bot token. Copy a fresh token from the Discord developer portal ` +
        `(your application → Bot → Reset Token) into the environment variable this account's token: refers to`,
      { cause: error },
    );
  }
  if (/disallowed intents/i.test(message)) {
    return new ConfabError(
      'discord.missing-intent',
      `${where}: the Message Content intent is not enabled for this bot. In the Discord developer portal ` +
        'open the application → Bot → Privileged Gateway Intents and turn on MESSAGE CONTENT INTENT',
      { cause: error },
    );
  }
  return new ConfabError('discord.login-failed', `${where}: could not connect to Discord: ${message}`, {
    cause: error,
  });
}
