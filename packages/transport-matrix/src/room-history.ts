import type { ChatLocation } from '@confab/core';
import type { MatrixClient } from 'matrix-bot-sdk';
import { isEdit, type MatrixEvent, relationOf } from './matrix-event.js';

/** Runs a homeserver request with the transport's rate-limit retries. */
export type Retrying = <T>(run: () => Promise<T>) => Promise<T>;

/**
 * A room's main timeline, newest first, from `/messages`: message events only, without thread
 * replies (they belong to their thread) and edits (applied to the message they edit), at most
 * `limit`, none at or before `after` (epoch ms).
 */
export async function timelineEvents(
  client: MatrixClient,
  retrying: Retrying,
  location: ChatLocation,
  limit: number,
  after: number,
): Promise<MatrixEvent[]> {
  const collected: MatrixEvent[] = [];
  let from: string | undefined;
  const path = `/_matrix/client/v3/rooms/${encodeURIComponent(location.roomId)}/messages`;
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
      if (relation === 'm.thread' || relation === 'm.replace') continue;
      collected.push(event);
      if (collected.length >= limit) return collected;
    }
    if (!page.end || chunk.length === 0) break;
    from = page.end;
  }
  return collected;
}

/**
 * A thread, newest first: its replies from `/relations/{root}/m.thread`, then the root event,
 * at most `limit`, none at or before `after` (epoch ms).
 */
export async function threadEvents(
  client: MatrixClient,
  retrying: Retrying,
  location: ChatLocation & { readonly threadId: string },
  limit: number,
  after: number,
): Promise<MatrixEvent[]> {
  const collected: MatrixEvent[] = [];
  let from: string | undefined;
  const room = encodeURIComponent(location.roomId);
  const path = `/_matrix/client/v1/rooms/${room}/relations/${encodeURIComponent(location.threadId)}/m.thread`;
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
      if (event.type !== 'm.room.message' || isEdit(event)) continue;
      collected.push(event);
      if (collected.length >= limit) return collected;
    }
    if (!page.next_batch || chunk.length === 0) break;
    from = page.next_batch;
  }
  const root = (await retrying(() => client.getEvent(location.roomId, location.threadId)).catch(
    () => undefined,
  )) as MatrixEvent | undefined;
  if (root && root.origin_server_ts > after) collected.push(root);
  return collected;
}
