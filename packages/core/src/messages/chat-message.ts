/** Who sent a message. */
export interface ChatSender {
  /** Platform user id (Discord snowflake, Matrix user id, ...). */
  readonly id: string;
  /** Display name as the platform shows it. */
  readonly name: string;
  /** Whether the platform marks the sender as a bot (other confab mates included). */
  readonly isBot: boolean;
}

/** Where a message lives: enough to answer it or read its history. */
export interface ChatLocation {
  /** Name of the transport instance in the config (`transports[].name`). */
  readonly transport: string;
  /** Room or channel id. */
  readonly roomId: string;
  /** Thread id when the message is in a thread. */
  readonly threadId?: string;
  /** Whether the room is a direct conversation between one person and one mate. */
  readonly isDirect: boolean;
}

/** One inbound message as every transport reports it. */
export interface ChatMessage extends ChatLocation {
  /** Platform event / message id; unique within the transport. */
  readonly id: string;
  /** Platform name (`discord`, `matrix`, `console`, ...). */
  readonly platform: string;
  readonly sender: ChatSender;
  /** Plain text; transports strip platform markup they do not need to keep. */
  readonly text: string;
  /** Platform user ids mentioned in the message. */
  readonly mentions: readonly string[];
  /**
   * The message this one replies to, when it is a reply; its `text` where the platform sends it
   * along (Discord does), so a mate's answer to a command is known as such in read-back history.
   */
  readonly replyTo?: { readonly messageId: string; readonly senderId?: string; readonly text?: string };
  /** Milliseconds since the epoch, as the platform stamped it. */
  readonly timestamp: number;
  /**
   * For transports that host one identity per mate: the platform user id of the identity that
   * received the message (a DM to one mate's account arrives through that account).
   */
  readonly receivedBy?: string;
  /**
   * Mates that may answer here, for transports with per-mate allowlists (channels a mate's
   * account may speak in); every mate when absent. The router never routes to a mate outside it.
   */
  readonly audience?: readonly string[];
}

/** A bot identity a transport hosts: which mate speaks through which platform user. */
export interface BotIdentity {
  /** Mate name from the config. */
  readonly mate: string;
  /** Platform user id of the identity. */
  readonly userId: string;
  /** Display name on the platform. */
  readonly displayName: string;
}
