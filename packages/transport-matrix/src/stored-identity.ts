import { type Store, StoreNamespaces } from '@confab/core';

/** A Matrix login confab keeps in its store (`identities` namespace): from `confab matrix register` or a password login. */
export interface StoredMatrixIdentity {
  readonly userId: string;
  readonly accessToken: string;
  readonly deviceId?: string;
  readonly homeserver: string;
  readonly createdAt: number;
}

/** Key of a mate's (or the shared bot user's) identity: transport instance, then account. */
export function identityKey(transport: string, account: string): string {
  return `matrix\u001d${transport}\u001d${account}`;
}

/** Account name of the shared bot user in {@link identityKey}. */
export const BOT_ACCOUNT = '@bot';

export function readIdentity(
  store: Store,
  transport: string,
  account: string,
): Promise<StoredMatrixIdentity | undefined> {
  return store.get<StoredMatrixIdentity>(StoreNamespaces.identities, identityKey(transport, account));
}

export function writeIdentity(
  store: Store,
  transport: string,
  account: string,
  identity: StoredMatrixIdentity,
): Promise<void> {
  return store.put(StoreNamespaces.identities, identityKey(transport, account), identity);
}
