import type { BotIdentity, ChatLocation, ChatMessage } from '../messages/chat-message.js';

/** What a transport's platform allows; the engine adapts to it instead of special-casing platforms. */
export interface TransportCapabilities {
  /** Longest message the platform accepts, in characters. */
  readonly maxMessageLength: number;
  /** Whether sent messages can be edited (streaming by edits). */
  readonly edits: boolean;
  /** Minimum pause between two edits of one message, in ms, to stay inside rate limits. */
  readonly minEditIntervalMs: number;
  /** Whether the platform has threads. */
  readonly threads: boolean;
  /** Whether {@link Transport.fetchHistory} is available (the platform keeps the conversation). */
  readonly history: boolean;
  /** Whether typing indicators exist. */
  readonly typing: boolean;
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
  /** At most this many messages. */
  readonly limit: number;
  /** Only messages strictly newer than this message id / timestamp, when given. */
  readonly after?: { readonly messageId?: string; readonly timestamp?: number };
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
  /** Show or refresh a typing indicator; only when `capabilities.typing`. */
  typing?(target: OutboundTarget, active: boolean): Promise<void>;
  /** Oldest-first history of a room or thread; only when `capabilities.history`. */
  fetchHistory?(location: ChatLocation, query: HistoryQuery): Promise<ChatMessage[]>;
  /** Whether a user may run room-wide commands here (admins/moderators), where the platform knows. */
  isRoomAdmin?(location: ChatLocation, userId: string): Promise<boolean>;
  join?(roomId: string): Promise<void>;
  leave?(roomId: string): Promise<void>;
}
