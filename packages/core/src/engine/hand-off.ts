import type { MateConfig } from '../config/schema.js';
import type { ChatMessage } from '../messages/chat-message.js';
import type { ReplyPart } from './live-reply.js';
import { identityOf, locationOf, type Turn } from './turn.js';

/** Who a mate's replies come from, in the history and when handed to the other mates. */
export function mateUserId(turn: Turn, mate: MateConfig): string {
  return identityOf(turn, mate)?.userId ?? `mate:${mate.name}`;
}

/**
 * A message a mate sent in answer to the turn, with its final text: what the other mates answer
 * (bot-to-bot talk) and what the room's history holds, since the platform's echo of a reply
 * streamed by edits carries only its first fragment.
 */
export function mateMessage(turn: Turn, mate: MateConfig, reply: ReplyPart): ChatMessage {
  const { message } = turn;
  return {
    id: reply.id,
    platform: message.platform,
    ...locationOf(message),
    sender: {
      id: mateUserId(turn, mate),
      name: identityOf(turn, mate)?.displayName ?? mate.name,
      isBot: true,
    },
    text: reply.text,
    mentions: [],
    replyTo: { messageId: message.id, senderId: message.sender.id },
    timestamp: Date.now(),
  };
}
