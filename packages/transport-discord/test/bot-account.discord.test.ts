import { isConfabError } from '@confab/core';
import { DiscordEmulator } from '@confab/testkit/discord-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBotAccount } from '../src/bot-account.js';
import { invitePermissionNames, inviteUrl } from '../src/invite-url.js';

let discord: DiscordEmulator | undefined;
afterEach(async () => {
  await discord?.stop();
  discord = undefined;
});

describe('checking a bot account and inviting it', () => {
  it('reads the bot and its Message Content intent from the API', async () => {
    discord = await DiscordEmulator.start();
    const ada = discord.addBot('ada');
    const quiet = discord.addBot('quiet', { messageContentIntent: false });
    expect(await checkBotAccount(ada.token, { apiUrl: discord.apiUrl })).toEqual({
      userId: ada.user.id,
      username: 'ada',
      applicationId: ada.applicationId,
      messageContentIntent: true,
    });
    expect((await checkBotAccount(quiet.token, { apiUrl: discord.apiUrl })).messageContentIntent).toBe(false);
  });

  it('rejects a bad token with the fix and without the token', async () => {
    discord = await DiscordEmulator.start();
    const error = await checkBotAccount('wrong.token', { apiUrl: discord.apiUrl }).catch((e: unknown) => e);
    expect(isConfabError(error)).toBe(true);
    expect((error as Error).message).toMatch(/rejected the bot token.*Reset Token/);
    expect((error as Error).message).not.toContain('wrong.token');
  });

  it('invites with the bot scope and exactly the permissions confab uses', () => {
    const url = new URL(inviteUrl('123456789012345678'));
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('123456789012345678');
    expect(url.searchParams.get('scope')).toBe('bot');
    // ViewChannel 1<<10, SendMessages 1<<11, ReadMessageHistory 1<<16, SendMessagesInThreads 1<<38.
    expect(url.searchParams.get('permissions')).toBe(
      String((1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 38n)),
    );
    expect(invitePermissionNames()).toEqual([
      'ViewChannel',
      'SendMessages',
      'ReadMessageHistory',
      'SendMessagesInThreads',
    ]);
  });
});
