import { createHmac } from 'node:crypto';
import { ConfabError } from '@confab/core';

/** What {@link registerWithSharedSecret} needs. */
export interface SharedSecretRegistration {
  /** Base URL of the homeserver (Synapse's admin API must be reachable there). */
  readonly homeserver: string;
  /** `registration_shared_secret` of the homeserver. */
  readonly sharedSecret: string;
  /** Localpart of the new user (`ada` for `@ada:example.org`). */
  readonly username: string;
  readonly password: string;
  readonly displayName?: string;
  readonly admin?: boolean;
}

/** A user created by {@link registerWithSharedSecret}. */
export interface RegisteredUser {
  readonly userId: string;
  readonly accessToken: string;
  readonly deviceId?: string;
}

async function call(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ConfabError(
      'matrix.unreachable',
      `cannot reach ${new URL(url).origin} (${(error as Error).cause ?? (error as Error).message}); check the homeserver URL`,
      { cause: error },
    );
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const detail = `${String(body.errcode ?? response.status)}: ${String(body.error ?? response.statusText)}`;
    const hint =
      response.status === 404 || (response.status === 400 && body.errcode === 'M_UNRECOGNIZED')
        ? '; shared-secret registration needs Synapse with registration_shared_secret set'
        : body.errcode === 'M_USER_IN_USE'
          ? '; that user exists already: log in with its password or token instead'
          : '';
    throw new ConfabError('matrix.registration', `shared-secret registration failed (${detail})${hint}`);
  }
  return body;
}

/**
 * Creates a user through Synapse's shared-secret registration admin API
 * (`/_synapse/admin/v1/register`: a nonce, then an HMAC-SHA1 of nonce, user, password and role).
 */
export async function registerWithSharedSecret(options: SharedSecretRegistration): Promise<RegisteredUser> {
  const url = `${options.homeserver.replace(/\/+$/, '')}/_synapse/admin/v1/register`;
  const { nonce } = (await call(url)) as { nonce: string };
  const admin = options.admin === true;
  const mac = createHmac('sha1', options.sharedSecret)
    .update(`${nonce}\0${options.username}\0${options.password}\0${admin ? 'admin' : 'notadmin'}`)
    .digest('hex');
  const body = await call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      nonce,
      username: options.username,
      password: options.password,
      admin,
      mac,
      ...(options.displayName !== undefined ? { displayname: options.displayName } : {}),
    }),
  });
  return {
    userId: String(body.user_id),
    accessToken: String(body.access_token),
    ...(typeof body.device_id === 'string' ? { deviceId: body.device_id } : {}),
  };
}
