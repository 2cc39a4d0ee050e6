import type { Store } from '@confab/core';

/** Store namespace of the transport's per-room state. */
export const MATRIX_ROOMS_NAMESPACE = 'matrix.rooms';

/** What the transport remembers about a room. */
export interface MatrixRoomRecord {
  /** The room was joined as a direct chat (`is_direct` on the invite). */
  readonly direct: boolean;
  /** Who invited the mates, when they joined by invite. */
  readonly invitedBy?: string;
  readonly joinedAt: number;
}

/** Per-room state of one transport instance in the store. */
export class RoomRecords {
  constructor(
    private readonly store: Store,
    private readonly transport: string,
  ) {}

  private key(roomId: string, suffix = ''): string {
    return `${this.transport}\u001d${roomId}${suffix}`;
  }

  get(roomId: string): Promise<MatrixRoomRecord | undefined> {
    return this.store.get<MatrixRoomRecord>(MATRIX_ROOMS_NAMESPACE, this.key(roomId));
  }

  async remember(roomId: string, record: MatrixRoomRecord): Promise<void> {
    const existing = await this.get(roomId);
    // A second mate joining a DM room must not turn it back into a group room.
    await this.store.put(MATRIX_ROOMS_NAMESPACE, this.key(roomId), {
      ...record,
      direct: record.direct || (existing?.direct ?? false),
    });
  }

  async forget(roomId: string): Promise<void> {
    await this.store.delete(MATRIX_ROOMS_NAMESPACE, this.key(roomId));
    await this.store.delete(MATRIX_ROOMS_NAMESPACE, this.key(roomId, '\u001dencrypted-notice'));
  }

  /** True exactly once per room: whether the "encrypted room unsupported" notice is still to be sent. */
  claimEncryptedNotice(roomId: string): Promise<boolean> {
    return this.store.putIfAbsent(
      MATRIX_ROOMS_NAMESPACE,
      this.key(roomId, '\u001dencrypted-notice'),
      Date.now(),
    );
  }
}
