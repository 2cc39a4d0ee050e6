import { randomBytes } from 'node:crypto';
import { ConfabError, type Store } from '@confab/core';
import type { MatrixTransportConfig } from './config.js';
import { registerWithSharedSecret } from './shared-secret-registration.js';
import { BOT_ACCOUNT, readIdentity, writeIdentity } from './stored-identity.js';

/** What {@link registerMate} needs. */
export interface RegisterMateOptions {
  /** Name of the matrix transport instance in the config. */
  readonly transport: string;
  /** Its validated config section. */
  readonly config: MatrixTransportConfig;
  /** The mate (per-mate accounts) or, with a shared `bot` user, that user's localpart. */
  readonly mate: string;
  /** The bot's store, open. */
  readonly store: Store;
}

/** Matrix localparts allow lower-case letters, digits and `._=-/`. */
function localpart(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._=\-/]/g, '_');
}

/**
 * Creates the Matrix user of a mate on a homeserver the operator administers (Synapse
 * shared-secret registration) and keeps its access token in the store's `identities` namespace,
 * where the transport finds it for an account configured without credentials. The store, not the
 * config: the token is a secret and the bot's own state, while the config is the file people
 * read, version and share. The random password is never shown; the token is all the bot needs.
 */
export async function registerMate(
  options: RegisterMateOptions,
): Promise<{ userId: string; account: string }> {
  const { config, transport, mate, store } = options;
  if (!config.registrationSharedSecret) {
    throw new ConfabError(
      'matrix.no-shared-secret',
      `transport '${transport}': set registrationSharedSecret (e.g. \${MATRIX_REGISTRATION_SECRET}, Synapse's registration_shared_secret) to register users`,
    );
  }
  const account = config.bot ? BOT_ACCOUNT : mate;
  if (config.accounts && !config.accounts.some((a) => a.mate === mate)) {
    throw new ConfabError(
      'matrix.unknown-account',
      `transport '${transport}' has no account for mate '${mate}'; add "- mate: ${mate}" under its accounts first`,
    );
  }
  const existing = await readIdentity(store, transport, account);
  if (existing) {
    throw new ConfabError(
      'matrix.already-registered',
      `mate '${mate}' of transport '${transport}' is already registered as ${existing.userId}`,
    );
  }
  const user = await registerWithSharedSecret({
    homeserver: config.homeserver,
    sharedSecret: config.registrationSharedSecret,
    username: localpart(mate),
    password: randomBytes(24).toString('base64url'),
    displayName: mate,
  });
  await writeIdentity(store, transport, account, {
    userId: user.userId,
    accessToken: user.accessToken,
    ...(user.deviceId !== undefined ? { deviceId: user.deviceId } : {}),
    homeserver: config.homeserver,
    createdAt: Date.now(),
  });
  return { userId: user.userId, account };
}
