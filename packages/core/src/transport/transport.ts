import type { BotIdentity, ChatLocation, ChatMessage } from '../messages/chat-message.js';

/**
 * What a transport's platform allows; the engine adapts to it instead of special-casing platforms.
 * What the platform offers beyond sending (typing indicators, history, admin checks) is said by
 * implementing the optional {@link Transport} method, not by a flag.
 */
export interface TransportCapabilities {
  /** Longest message the platform accepts, in characters. */
  readonly maxMessageLength: number;
  /** Whether sent messages can be edited (streaming by edits). */
  readonly edits: boolean;
  /** Minimum pause between two edits of one message, in ms, to stay inside rate limits. */
  readonly minEditIntervalMs: number;
}

/** Where an outbound message goes and who sends it. */
export interface OutboundTarget extends ChatLocation {
  /** The mate whose identity sends it. */
  readonly mate: string;
  /** Message id to reply to. */
  readonly replyTo?: string;
}

/** A message the transport has sent. */
export interface SentMessage {
  readonly id: string;
}

/** Options for {@link Transport.fetchHistory}. */
export interface HistoryQuery {
  /** At most this many messages: the newest ones. */
  readonly limit: number;
  /** Only messages strictly newer than this timestamp (ms), when given. */
  readonly after?: { readonly timestamp: number };
}

/** Receives inbound messages from a transport. */
export type InboundHandler = (message: ChatMessage) => void | Promise<void>;

/**
 * One chat platform connection, possibly hosting several bot identities (one per mate).
 *
 * A transport translates; retries, pacing and splitting live in core.
 */
export interface Transport {
  /** Instance name from the config. */
  readonly name: string;
  /** Platform name (`discord`, `matrix`, `console`, ...). */
  readonly platform: string;
  readonly capabilities: TransportCapabilities;
  /** Connect and start delivering inbound messages to `onMessage`. */
  start(onMessage: InboundHandler): Promise<void>;
  /** Stop intake and disconnect. Idempotent. */
  stop(): Promise<void>;
  /** The bot identities this transport hosts, known after {@link start}. */
  identities(): readonly BotIdentity[];
  send(target: OutboundTarget, text: string): Promise<SentMessage>;
  /** Replace the text of a sent message; only when `capabilities.edits`. */
  edit(target: OutboundTarget, messageId: string, text: string): Promise<void>;
  /** Show or refresh a typing indicator; absent where the platform has none. */
  typing?(target: OutboundTarget, active: boolean): Promise<void>;
  /**
   * The newest messages of `message`'s room or thread, oldest first (`message` itself included
   * when the platform has it), with edits applied; absent where the platform keeps no history.
   * `message` is the one being answered, so a transport with an account per mate reads with the
   * account that received it. The engine asks only for what it has not seen (see {@link historyEpoch}).
   */
  fetchHistory?(message: ChatMessage, query: HistoryQuery): Promise<ChatMessage[]>;
  /**
   * Whether `message`'s sender may run room-wide commands in its room (admins, moderators);
   * absent where the platform has no such notion.
   */
  isRoomAdmin?(message: ChatMessage): Promise<boolean>;
  /**
   * A number that changes whenever what the transport delivered for `location`'s room or thread
   * may no longer match the platform's history: after a reconnect that lost events, a sync that
   * skipped some, or an edit or deletion the transport does not deliver as a message. The engine
   * reads {@link fetchHistory} again when it changed. Absent: delivery never has such gaps.
   */
  historyEpoch?(location: ChatLocation): number;
}
