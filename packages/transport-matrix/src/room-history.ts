import type { MatrixClient } from 'matrix-bot-sdk';
import { isEdit, type MatrixEvent, relationOf } from './matrix-event.js';

/** Runs a homeserver request with the transport's rate-limit retries. */
export type Retrying = <T>(run: () => Promise<T>) => Promise<T>;

/** What reading a room's or thread's history needs. */
export interface HistoryRead {
  readonly client: MatrixClient;
  readonly retrying: Retrying;
  readonly roomId: string;
  /** At most this many kept events. */
  readonly limit: number;
  /** None at or before this time (epoch ms). */
  readonly after: number;
  /** Which message events count (the others are skipped, not returned). */
  readonly keep: (event: MatrixEvent) => boolean;
}

/**
 * A room's main timeline, newest first, from `/messages`: message events only, without thread
 * replies (they belong to their thread) and edits (applied to the message they edit).
 */
export async function timelineEvents(read: HistoryRead): Promise<MatrixEvent[]> {
  const { client, retrying, limit, after, keep } = read;
  const collected: MatrixEvent[] = [];
  let from: string | undefined;
  const path = `/_matrix/client/v3/rooms/${encodeURIComponent(read.roomId)}/messages`;
  while (collected.length < limit) {
    const page = (await retrying(() =>
      client.doRequest('GET', path, {
        dir: 'b',
        limit: Math.min(100, limit - collected.length + 10),
        filter: JSON.stringify({ types: ['m.room.message'] }),
        ...(from !== undefined ? { from } : {}),
      }),
    )) as { chunk?: MatrixEvent[]; end?: string };
    const chunk = page.chunk ?? [];
    for (const event of chunk) {
      if (event.origin_server_ts <= after) return collected;
      const relation = relationOf(event.content)?.rel_type;
      if (relation === 'm.thread' || relation === 'm.replace' || !keep(event)) continue;
      collected.push(event);
      if (collected.length >= limit) return collected;
    }
    if (!page.end || chunk.length === 0) break;
    from = page.end;
  }
  return collected;
}

/**
 * A thread, newest first: its replies from `/relations/{root}/m.thread`, then the root event
 * when the replies leave room for it.
 */
export async function threadEvents(
  read: HistoryRead & { readonly threadId: string },
): Promise<MatrixEvent[]> {
  const { client, retrying, limit, after, keep, roomId, threadId } = read;
  const collected: MatrixEvent[] = [];
  let from: string | undefined;
  const room = encodeURIComponent(roomId);
  const path = `/_matrix/client/v1/rooms/${room}/relations/${encodeURIComponent(threadId)}/m.thread`;
  while (collected.length < limit) {
    const page = (await retrying(() =>
      client.doRequest('GET', path, {
        dir: 'b',
        limit: Math.min(100, limit - collected.length + 10),
        ...(from !== undefined ? { from } : {}),
      }),
    )) as { chunk?: MatrixEvent[]; next_batch?: string };
    const chunk = page.chunk ?? [];
    for (const event of chunk) {
      if (event.origin_server_ts <= after) return collected;
      if (event.type !== 'm.room.message' || isEdit(event) || !keep(event)) continue;
      collected.push(event);
      if (collected.length >= limit) return collected;
    }
    if (!page.next_batch || chunk.length === 0) break;
    from = page.next_batch;
  }
  if (collected.length >= limit) return collected;
  const root = (await retrying(() => client.getEvent(roomId, threadId)).catch(() => undefined)) as
    | MatrixEvent
    | undefined;
  if (root && root.origin_server_ts > after && keep(root)) collected.push(root);
  return collected;
}
