import type { MateConfig } from '../config/schema.js';
import type { BotState } from '../engine/bot-state.js';
import type { ChatMessage } from '../messages/chat-message.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { CommandDefinition } from './command-plugin.js';

/** What commands may read and change of rooms and conversations: state, not history. */
export type ConversationControl = Pick<
  BotState,
  'room' | 'updateRoom' | 'conversation' | 'updateConversation' | 'saveSnapshot' | 'snapshot' | 'snapshots'
>;

/** What commands may do with jobs: cancel them and see the queues, not submit. */
export type JobControl = Pick<Scheduler, 'cancel' | 'stats' | 'positionOf'>;

/** What the engine offers command handlers (`CommandContext.services`). */
export interface EngineServices {
  readonly mates: readonly MateConfig[];
  readonly state: ConversationControl;
  readonly scheduler: JobControl;
  /** Every registered command, for `!help`. */
  commands(): readonly CommandDefinition<EngineServices>[];
  /** The mate a command is about: the one named, else the one addressed, else the room's default. */
  mateFor(message: ChatMessage, name?: string): Promise<MateConfig | undefined>;
  /** Conversation key of the message's sender with a mate. */
  conversationKey(message: ChatMessage, mate: MateConfig): string;
  roomKey(message: ChatMessage): string;
}
