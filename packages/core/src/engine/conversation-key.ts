import type { ChatLocation } from '../messages/chat-message.js';

/** The parts that identify one conversation with one mate. */
export interface ConversationParts {
  readonly transport: string;
  readonly roomId: string;
  readonly threadId?: string;
  readonly mate: string;
  /** Present when the mate's scope is per-user. */
  readonly userId?: string;
}

// A separator that cannot appear in ids the platforms hand out, so keys never collide.
const SEP = '\u001f';

/** `(transport, room, thread, mate[, user])` as one string, for maps, the store and logs. */
export function conversationKey(parts: ConversationParts): string {
  return conversationKeyOf(parts.transport, parts.roomId, parts.threadId, parts.mate, parts.userId);
}

/** {@link conversationKey} from its parts as arguments, for the engine's per-message path. */
export function conversationKeyOf(
  transport: string,
  roomId: string,
  threadId: string | undefined,
  mate: string,
  userId: string | undefined,
): string {
  return `${transport}${SEP}${roomId}${SEP}${threadId ?? ''}${SEP}${mate}${SEP}${userId ?? ''}`;
}

/** The key of a room (or thread) regardless of mate and user. */
export function roomKey(location: Pick<ChatLocation, 'transport' | 'roomId'>): string {
  return `${location.transport}${SEP}${location.roomId}`;
}

/** A readable form of a key, for logs and messages. */
export function describeKey(key: string): string {
  return key.split(SEP).filter(Boolean).join('/');
}
