import type { MateConfig } from '../config/schema.js';
import type { BotIdentity, ChatLocation, ChatMessage } from '../messages/chat-message.js';
import type { OutboundTarget, Transport } from '../transport/transport.js';
import type { RoomState } from './room-state.js';

/**
 * One inbound message on its way through the engine, with what admission learned about it: the
 * transport it came from, who sent it, and the room's state when it arrived.
 */
export interface Turn {
  readonly message: ChatMessage;
  readonly transport: Transport;
  readonly identities: readonly BotIdentity[];
  /** The mate that wrote it, for a mate's finished reply handed to the other mates. */
  readonly fromMate: string | undefined;
  /** Sent by a bot: another bot on the platform, or one of the mates. */
  readonly fromBot: boolean;
  /** The room's key (`roomKey`). */
  readonly room: string;
  readonly roomState: RoomState;
  /** Whether mates answer bots in this room. */
  readonly botToBot: boolean;
}

/** The room or thread of a message, without a `threadId` key where it has none. */
export function locationOf(message: ChatMessage): ChatLocation {
  const { transport, roomId, threadId, isDirect } = message;
  return threadId === undefined ? { transport, roomId, isDirect } : { transport, roomId, threadId, isDirect };
}

/** Where a reply to the turn's message goes when `mate` sends it. */
export function replyTarget(message: ChatMessage, mate: string): OutboundTarget {
  return { ...locationOf(message), mate, replyTo: message.id };
}

/** The identity a mate has on the turn's transport, if it has one there. */
export function identityOf(turn: Turn, mate: MateConfig): BotIdentity | undefined {
  return turn.identities.find((identity) => identity.mate === mate.name);
}
