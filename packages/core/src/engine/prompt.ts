import type { Backend, BackendMessage } from '../backend/backend.js';
import type { ConfabConfig, MateConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { JobRequest } from '../scheduler/scheduler.js';
import type { BotState, StoredMessage } from './bot-state.js';
import type { ConversationState } from './conversation-state.js';
import { mateUserId } from './hand-off.js';
import { readHistory, usesPlatformHistory } from './history-reader.js';
import type { ReplyPart } from './live-reply.js';
import type { PlatformHistory } from './platform-history.js';
import type { Router } from './router.js';
import { identityOf, type Turn } from './turn.js';

// Tokens reserved for the answer when the mate does not say how long replies may be.
const DEFAULT_REPLY_RESERVE = 512;

/** One mate's answer to a turn, as far as the prompt is concerned. */
export interface PromptRequest {
  readonly turn: Turn;
  readonly mate: MateConfig;
  readonly conversation: string;
  readonly state: ConversationState;
  readonly backend: Backend;
  readonly profile: string;
}

/** What the model is asked, and what is kept of the conversation for platforms that keep none. */
export interface Prompt {
  /** The job: the history window, which the backend trims to `maxPromptTokens`. */
  readonly job: JobRequest;
  /** The user's message written to the store (platforms without history), or nothing to wait for. */
  readonly saved: Promise<void>;
  /** Whether the mate's reply is to be stored too. */
  readonly storesHistory: boolean;
}

/**
 * Builds what a mate's model reads: the conversation's history (from the platform where it
 * keeps it, else from the store) after its last reset, the message being answered, and the
 * prompt's token budget. The backend trims the history to that budget where it tokenizes it.
 */
export class PromptBuilder {
  constructor(
    private readonly config: ConfabConfig,
    private readonly state: BotState,
    private readonly router: Router,
    private readonly platform: PlatformHistory,
  ) {}

  async build(request: PromptRequest, log: Logger): Promise<Prompt> {
    const { turn, mate, conversation, backend, profile } = request;
    const { message } = turn;
    const history = await readHistory(
      {
        transport: turn.transport,
        mate,
        identity: identityOf(turn, mate),
        conversation,
        state: request.state,
        current: message,
        commandPrefix: this.config.commands.prefix,
        unaddressed: (text) => {
          const addressed = this.router.address(text);
          return addressed?.mate.name === mate.name ? addressed.rest : text;
        },
        platform: this.platform,
      },
      this.state,
    );
    const storesHistory = !usesPlatformHistory(mate, turn.transport);
    // Written while the answer is made, as the backend gets it (unaddressed); later reads find it cached.
    const said = history[history.length - 1] as BackendMessage;
    const stored = { ...said, id: message.id, timestamp: message.timestamp, senderId: message.sender.id };
    const saved = storesHistory ? this.remember(conversation, stored, log) : Promise.resolve();
    // Room for the answer, but never more than half the context, so small contexts keep history.
    const contextTokens = backend.capacity(profile).contextTokens;
    const reserve = Math.min(mate.sampling.maxTokens ?? DEFAULT_REPLY_RESERVE, Math.floor(contextTokens / 2));
    const maxPromptTokens = Math.max(1, contextTokens - reserve);
    const job: JobRequest = {
      id: `${message.transport}:${message.id}:${mate.name}`,
      backend: mate.backend,
      profile,
      conversation,
      user: `${message.transport}:${message.sender.id}`,
      room: turn.room,
      priority: turn.fromBot ? 'bot' : 'human',
      system: mate.system,
      messages: history,
      maxPromptTokens,
      sampling: mate.sampling,
    };
    return { job, saved, storesHistory };
  }

  /** Stores a message of the conversation; a failed write is logged, and the answer goes on. */
  private remember(conversation: string, message: StoredMessage, log: Logger): Promise<void> {
    return this.state.appendHistory(conversation, message).catch((error: unknown) => {
      log.error({ err: error }, 'history: message not stored');
    });
  }

  /** Stores a mate's finished reply, on platforms that keep no history. */
  rememberReply(request: PromptRequest, reply: ReplyPart, log: Logger) {
    const { turn, mate, conversation } = request;
    const timestamp = Math.max(Date.now(), turn.message.timestamp + 1);
    const senderId = mateUserId(turn, mate);
    return this.remember(
      conversation,
      { id: reply.id, timestamp, senderId, role: 'assistant', content: reply.text },
      log,
    );
  }
}
