import type { Store } from '@confab/core';
import type { IFilterInfo, IStorageProvider } from 'matrix-bot-sdk';

/** Store namespace of matrix-bot-sdk's sync state (sync token, filter, values). */
export const MATRIX_SYNC_NAMESPACE = 'matrix.sync';

/**
 * matrix-bot-sdk's storage on confab's store, one key prefix per transport and user, so the sync
 * token survives restarts: a restarted bot continues after the last processed sync instead of
 * replaying room history.
 */
export class StoreSyncStorage implements IStorageProvider {
  private frozen = false;

  constructor(
    private readonly store: Store,
    private readonly prefix: string,
  ) {}

  private key(name: string): string {
    return `${this.prefix}\u001d${name}`;
  }

  /**
   * Stop recording sync positions. matrix-bot-sdk lets the long-poll in flight at `stop()` run
   * out and then saves its position; the events of that last sync are not delivered by a stopped
   * transport, so saving it would make the next start skip them.
   */
  freeze(): void {
    this.frozen = true;
  }

  async setSyncToken(token: string | null): Promise<void> {
    if (this.frozen) return;
    if (token === null) await this.store.delete(MATRIX_SYNC_NAMESPACE, this.key('token'));
    else await this.store.put(MATRIX_SYNC_NAMESPACE, this.key('token'), token);
  }

  async getSyncToken(): Promise<string | null> {
    return (await this.store.get<string>(MATRIX_SYNC_NAMESPACE, this.key('token'))) ?? null;
  }

  async setFilter(filter: IFilterInfo): Promise<void> {
    await this.store.put(MATRIX_SYNC_NAMESPACE, this.key('filter'), filter);
  }

  async getFilter(): Promise<IFilterInfo> {
    return (await this.store.get<IFilterInfo>(MATRIX_SYNC_NAMESPACE, this.key('filter'))) as IFilterInfo;
  }

  async storeValue(key: string, value: string): Promise<void> {
    await this.store.put(MATRIX_SYNC_NAMESPACE, this.key(`value:${key}`), value);
  }

  async readValue(key: string): Promise<string | null | undefined> {
    return this.store.get<string>(MATRIX_SYNC_NAMESPACE, this.key(`value:${key}`));
  }
}
