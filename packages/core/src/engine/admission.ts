import type { DropReason } from '../events/events.js';
import type { ChatMessage } from '../messages/chat-message.js';
import { roomKey } from './conversation-key.js';
import type { EngineDeps } from './engine-deps.js';
import type { Turn } from './turn.js';

/** What admission needs from the bot. */
export type AdmissionDeps = Pick<EngineDeps, 'config' | 'transports' | 'state' | 'ledger' | 'logger'>;

/**
 * Decides whether the engine acts on a message at all: the mates' own echoes, other bots where
 * the room does not allow bot-to-bot talk, and events already handled (a platform redelivering,
 * a restart replaying) are dropped. An admitted message becomes a {@link Turn}.
 */
export class Admission {
  constructor(private readonly deps: AdmissionDeps) {}

  /**
   * `fromMate` is set for a mate's finished reply handed to the other mates. The platform's
   * echoes of the mates' own messages are always dropped: with streaming by edits they carry
   * only the first fragment, and the engine hands the final text on itself.
   */
  async admit(message: ChatMessage, fromMate?: string): Promise<Turn | DropReason | undefined> {
    const { config, transports, state, ledger, logger } = this.deps;
    const transport = transports.get(message.transport);
    if (!transport) {
      logger.warn({ transport: message.transport, event: message.id }, 'message from an unknown transport');
      return undefined;
    }
    const identities = transport.identities();
    const echoOf = identities.find((identity) => identity.userId === message.sender.id)?.mate;
    if (echoOf !== undefined && fromMate === undefined) return 'own-echo';
    const senderMate = fromMate ?? echoOf;
    const fromBot = message.sender.isBot || senderMate !== undefined;
    const room = roomKey(message);
    const roomState = await state.room(room);
    const botToBot = roomState.botToBot ?? config.engine.botToBot.enabled;
    if (fromBot && !botToBot) return 'bot-sender';
    if (!(await ledger.claim(message.transport, message.id))) return 'duplicate';
    return { message, transport, identities, fromMate: senderMate, fromBot, room, roomState, botToBot };
  }
}
