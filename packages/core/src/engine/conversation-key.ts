import type { MateConfig } from '../config/schema.js';
import type { ChatLocation, ChatMessage } from '../messages/chat-message.js';

// A separator that cannot appear in ids the platforms hand out, so keys never collide.
const SEP = '\u001f';

/**
 * The key of the conversation between the message's sender (or its room, for a per-room mate)
 * and a mate: `(transport, room, thread, mate[, user])` as one string, for maps, the store and logs.
 */
export function conversationKeyFor(message: ChatMessage, mate: MateConfig): string {
  const user = mate.scope === 'per-user' ? message.sender.id : '';
  return [message.transport, message.roomId, message.threadId ?? '', mate.name, user].join(SEP);
}

/** The key of a room, whatever the thread, mate and user. */
export function roomKey(location: Pick<ChatLocation, 'transport' | 'roomId'>): string {
  return `${location.transport}${SEP}${location.roomId}`;
}

/** A readable form of a key, for logs and messages. */
export function describeKey(key: string): string {
  return key.split(SEP).filter(Boolean).join('/');
}
