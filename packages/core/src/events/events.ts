import type { FinishReason, TokenUsage } from '../backend/backend.js';
import type { ChatMessage } from '../messages/chat-message.js';

/** Why the engine did not act on a message. */
export type DropReason =
  | 'own-echo'
  | 'bot-sender'
  | 'duplicate'
  | 'not-addressed'
  | 'room-stopped'
  | 'turn-budget'
  | 'stopping';

/** Every event of a bot, by type. Handlers get the payload; the bus adds `type` and `at`. */
export interface ConfabEventMap {
  'bot.started': { transports: string[]; backends: string[]; mates: string[] };
  'bot.stopping': { reason: string };
  'bot.stopped': Record<string, never>;
  'transport.started': { transport: string };
  'transport.stopped': { transport: string };
  'transport.error': { transport: string; message: string };
  'message.received': { message: ChatMessage };
  'message.dropped': { message: ChatMessage; reason: DropReason };
  'message.routed': { message: ChatMessage; mates: string[] };
  'command.executed': { message: ChatMessage; command: string; ok: boolean };
  'job.queued': { jobId: string; conversation: string; backend: string; profile: string; position: number };
  'job.rejected': { jobId: string; conversation: string; reason: string };
  'job.started': { jobId: string; conversation: string };
  'job.token': { jobId: string; conversation: string; text: string };
  'job.finished': {
    jobId: string;
    conversation: string;
    reason: FinishReason;
    usage: TokenUsage;
    durationMs: number;
  };
  'job.failed': { jobId: string; conversation: string; kind: string; message: string };
  'job.cancelled': { jobId: string; conversation: string; reason: string };
  'reply.sent': { jobId: string; conversation: string; messageIds: string[]; text: string };
  'worker.started': { backend: string; profile: string; worker: string; alive: number };
  'worker.died': { backend: string; profile: string; worker: string; alive: number; message: string };
}

export type ConfabEventType = keyof ConfabEventMap;

/** An event as delivered to `onAny` subscribers. */
export type ConfabEvent = {
  [K in ConfabEventType]: { readonly type: K; readonly at: number } & ConfabEventMap[K];
}[ConfabEventType];
