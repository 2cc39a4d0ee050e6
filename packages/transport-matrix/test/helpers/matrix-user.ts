import { randomBytes } from 'node:crypto';
import { registerWithSharedSecret } from '../../src/shared-secret-registration.js';
import type { MatrixEvent } from '../../src/matrix-event.js';
import type { SynapseInfo } from '@confab/testkit/synapse';

/** An error answer of the homeserver. */
export class MatrixHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${errcode}: ${String(body.error ?? '')}`);
  }
}

/** A short random suffix so every test has its own users. */
export const unique = (): string => randomBytes(4).toString('hex');

/**
 * The human side of the tests: a Matrix user speaking the plain client-server API with fetch,
 * independent of the SDK the transport uses.
 */
export class MatrixUser {
  private txn = 0;

  constructor(
    readonly homeserver: string,
    readonly userId: string,
    readonly accessToken: string,
  ) {}

  /** Registers a new user through shared-secret registration. */
  static async register(
    synapse: SynapseInfo,
    localpart: string,
    options: { admin?: boolean; displayName?: string; password?: string } = {},
  ): Promise<MatrixUser> {
    const user = await registerWithSharedSecret({
      homeserver: synapse.url,
      sharedSecret: synapse.sharedSecret,
      username: localpart,
      password: options.password ?? `pw-${localpart}-${unique()}`,
      ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
      ...(options.admin !== undefined ? { admin: options.admin } : {}),
    });
    return new MatrixUser(synapse.url, user.userId, user.accessToken);
  }

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.homeserver}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.accessToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new MatrixHttpError(response.status, String(json.errcode ?? 'unknown'), json);
    return json as T;
  }

  async createRoom(
    options: { invite?: string[]; isDirect?: boolean; encrypted?: boolean; name?: string } = {},
  ): Promise<string> {
    const { room_id } = await this.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
      preset: 'private_chat',
      ...(options.name !== undefined ? { name: options.name } : {}),
      invite: options.invite ?? [],
      is_direct: options.isDirect === true,
      ...(options.encrypted
        ? {
            initial_state: [
              { type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } },
            ],
          }
        : {}),
    });
    return room_id;
  }

  invite(roomId: string, userId: string): Promise<unknown> {
    return this.request('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/invite`, {
      user_id: userId,
    });
  }

  join(roomId: string): Promise<unknown> {
    return this.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {});
  }

  leave(roomId: string): Promise<unknown> {
    return this.request('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/leave`, {});
  }

  async send(roomId: string, content: Record<string, unknown>, type = 'm.room.message'): Promise<string> {
    const txn = `t${Date.now()}-${this.txn++}`;
    const { event_id } = await this.request<{ event_id: string }>(
      'PUT',
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${type}/${txn}`,
      content,
    );
    return event_id;
  }

  sendText(roomId: string, body: string, extra: Record<string, unknown> = {}): Promise<string> {
    return this.send(roomId, { msgtype: 'm.text', body, ...extra });
  }

  /** Joined members of a room. */
  async members(roomId: string): Promise<string[]> {
    const { joined } = await this.request<{ joined: Record<string, unknown> }>(
      'GET',
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/joined_members`,
    );
    return Object.keys(joined);
  }

  /** The newest message events of a room, newest first (thread replies and edits included). */
  async messages(roomId: string, limit = 100): Promise<MatrixEvent[]> {
    const filter = encodeURIComponent(JSON.stringify({ types: ['m.room.message'] }));
    const { chunk } = await this.request<{ chunk: MatrixEvent[] }>(
      'GET',
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=${limit}&filter=${filter}`,
    );
    return chunk;
  }

  /**
   * Polls the room until a message event matches; throws after `timeoutMs` with what was seen.
   * The timeout only bounds a hung test; nothing is asserted about speed.
   */
  async waitFor(
    roomId: string,
    match: (event: MatrixEvent) => boolean,
    timeoutMs = 30_000,
  ): Promise<MatrixEvent> {
    const deadline = Date.now() + timeoutMs;
    let seen: MatrixEvent[] = [];
    while (Date.now() < deadline) {
      seen = await this.messages(roomId);
      const found = seen.find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(
      `no matching message in ${roomId} within ${timeoutMs} ms; seen: ${JSON.stringify(
        seen.map((e) => ({ sender: e.sender, body: e.content.body })),
      )}`,
    );
  }

  /** Waits until `userId` has joined (or, with `membership: 'leave'`, left) the room. */
  async waitForMembership(roomId: string, userId: string, joined = true, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const members = await this.members(roomId).catch(() => [] as string[]);
      if (members.includes(userId) === joined) return;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`${userId} did not ${joined ? 'join' : 'leave'} ${roomId} within ${timeoutMs} ms`);
  }
}

/** The text of a message with edits applied, as a client would show it. */
export function shownText(event: MatrixEvent): string {
  const relations = event.unsigned?.['m.relations'] as
    | Record<string, { content?: Record<string, unknown> }>
    | undefined;
  const replaced = relations?.['m.replace']?.content?.['m.new_content'] as { body?: string } | undefined;
  return replaced?.body ?? String(event.content.body ?? '');
}

/** Whether the event relates to `eventId` as a reply (directly or inside a thread). */
export function repliesTo(event: MatrixEvent, eventId: string): boolean {
  const relation = event.content['m.relates_to'] as
    | { 'm.in_reply_to'?: { event_id?: string }; rel_type?: string }
    | undefined;
  return relation?.rel_type !== 'm.replace' && relation?.['m.in_reply_to']?.event_id === eventId;
}
