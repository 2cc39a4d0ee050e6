import { ConfabError, type Store } from '@confab/core';
import type * as MatrixSdk from 'matrix-bot-sdk';
import type { MatrixAccountConfig, MatrixBotAccountConfig } from './config.js';
import { readIdentity, writeIdentity } from './stored-identity.js';

/** What {@link accessTokenFor} needs besides the account. */
export interface CredentialContext {
  readonly sdk: typeof MatrixSdk;
  readonly homeserver: string;
  /** Transport instance name. */
  readonly transport: string;
  readonly store: Store;
  /** The account as messages name it ("account of mate 'ada'"). */
  readonly where: string;
  /** The mate whose account this is, for the `confab matrix register` hint (per-mate accounts). */
  readonly mate?: string;
  /** Runs a homeserver request with retries and operator-friendly errors. */
  readonly request: <T>(run: () => Promise<T>) => Promise<T>;
}

/**
 * The access token of an account: the configured token; else the one kept in the store (from
 * `confab matrix register` or an earlier password login); else a password login, whose token is
 * kept so that restarts do not create a new device each time.
 */
export async function accessTokenFor(
  account: MatrixAccountConfig | MatrixBotAccountConfig,
  key: string,
  context: CredentialContext,
): Promise<string> {
  if (account.accessToken !== undefined) return account.accessToken;
  const { store, transport, homeserver } = context;
  const stored = await readIdentity(store, transport, key);
  if (stored && (account.userId === undefined || stored.userId === account.userId)) return stored.accessToken;
  const { userId, password } = account;
  if (password !== undefined && userId !== undefined) {
    const client = await context.request(() =>
      new context.sdk.MatrixAuth(homeserver).passwordLogin(userId, password, `confab ${transport}`),
    );
    await writeIdentity(store, transport, key, {
      userId,
      accessToken: client.accessToken,
      homeserver,
      createdAt: Date.now(),
    });
    return client.accessToken;
  }
  const hint = context.mate !== undefined ? ` or run \`confab matrix register ${context.mate}\`` : '';
  throw new ConfabError(
    'config.invalid',
    `transport '${transport}': no credentials for the ${context.where}; set its accessToken or userId and password${hint}`,
  );
}
