import type { MateConfig } from '../config/schema.js';
import type { ChatLocation, ChatMessage } from '../messages/chat-message.js';

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
  const { transport, roomId, threadId, mate, userId } = parts;
  return `${transport}${SEP}${roomId}${SEP}${threadId ?? ''}${SEP}${mate}${SEP}${userId ?? ''}`;
}

/** The key of the conversation between the message's sender (or its room) and a mate. */
export function conversationKeyFor(message: ChatMessage, mate: MateConfig): string {
  return conversationKey({
    transport: message.transport,
    roomId: message.roomId,
    ...(message.threadId !== undefined ? { threadId: message.threadId } : {}),
    mate: mate.name,
    ...(mate.scope === 'per-user' ? { userId: message.sender.id } : {}),
  });
}

/** The key of a room (or thread) regardless of mate and user. */
export function roomKey(location: Pick<ChatLocation, 'transport' | 'roomId'>): string {
  return `${location.transport}${SEP}${location.roomId}`;
}

/** A readable form of a key, for logs and messages. */
export function describeKey(key: string): string {
  return key.split(SEP).filter(Boolean).join('/');
}
