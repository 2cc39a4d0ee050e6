import { OAuth2Scopes, PermissionsBitField } from 'discord.js';
import { CONFAB_PERMISSIONS } from './gateway-intents.js';

/** OAuth2 scopes confab needs: only `bot` (commands are `!` text commands, no slash commands). */
export const CONFAB_SCOPES = [OAuth2Scopes.Bot] as const;

/** The invite URL that adds a mate's bot to a server with exactly the permissions confab uses. */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: CONFAB_SCOPES.join(' '),
    permissions: CONFAB_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${query}`;
}

/** Human names of the permissions in the invite. */
export function invitePermissionNames(): string[] {
  return new PermissionsBitField(CONFAB_PERMISSIONS).toArray();
}

/** The one-time steps in the developer portal for a new mate's bot account. */
export function developerPortalSteps(mate: string, envVar: string): string[] {
  return [
    `Open https://discord.com/developers/applications and create an application named after the mate (${mate}).`,
    'Bot page: set the username and avatar people will see; keep "Requires OAuth2 Code Grant" off.',
    'Bot page → Privileged Gateway Intents: turn on MESSAGE CONTENT INTENT (confab reads messages); Server Members and Presence stay off.',
    `Bot page → Reset Token: copy the token into the environment as ${envVar} (for example in .env beside confab.yaml); never commit it.`,
    'Open the invite URL below as a server admin and pick the server; repeat per server.',
  ];
}
