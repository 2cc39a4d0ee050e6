import type { BackendMessage } from '../backend/backend.js';
import type { MateConfig } from '../config/schema.js';
import type { BotIdentity, ChatMessage } from '../messages/chat-message.js';
import type { Transport } from '../transport/transport.js';
import type { BotState } from './bot-state.js';
import type { PlatformHistory } from './platform-history.js';
import { type ConversationState, earliest, placeInContext } from './conversation-state.js';

/** Everything needed to read one conversation's history. */
export interface HistoryRequest {
  readonly transport: Transport;
  readonly mate: MateConfig;
  readonly identity: BotIdentity | undefined;
  readonly conversation: string;
  readonly state: ConversationState;
  /** The message being answered; it ends the returned list. */
  readonly current: ChatMessage;
  readonly commandPrefix: string;
  /** The text without an address to this mate at its start (`ada: hi` → `hi`). */
  readonly unaddressed: (text: string) => string;
  /** The platform's messages the engine saw, asked of the platform only where it must. */
  readonly platform: PlatformHistory;
}

/**
 * How many stored messages are read to fill a window of `maxMessages`: twice the window (plus
 * the message being answered), because messages outside the context (before a reset) are
 * skipped.
 */
export function historyReadDepth(maxMessages: number): number {
  return maxMessages * 2 + 1;
}

/** Whether the conversation's text is read from the platform (else from the store). */
export function usesPlatformHistory(mate: MateConfig, transport: Transport): boolean {
  return mate.history.source !== 'store' && transport.fetchHistory !== undefined;
}

/**
 * Reads a conversation's history, oldest first, ending with the current message as the mate
 * reads it: from the platform when it keeps it (confab then stores no text), else from the
 * store; only messages inside the conversation's context (after the reset marker or in
 * restored segments). Others' messages read without the address to the mate at their start.
 */
export async function readHistory(request: HistoryRequest, state: BotState): Promise<BackendMessage[]> {
  const { mate, current } = request;
  const read = usesPlatformHistory(mate, request.transport) ? fromPlatform : fromStore;
  const past = mate.history.maxMessages === 0 ? [] : await read(request, state);
  past.push(toBackend(current, request, request.unaddressed(current.text)));
  return past.slice(-mate.history.maxMessages - 1);
}

async function fromPlatform(request: HistoryRequest): Promise<BackendMessage[]> {
  const { current, state, conversation } = request;
  const fetched = await request.platform.read(request.transport, current, {
    // Other people's and commands' messages are filtered out below; read more to fill the window.
    limit: Math.min(request.mate.history.maxMessages * 3, 500),
    after: { timestamp: earliest(state) },
  });
  // A command and the mate's answer to it (a notice such as "starts a new conversation") are
  // not conversation; the answer is recognised by replying to the command.
  const isCommand = (text: string | undefined) => text?.trimStart().startsWith(request.commandPrefix);
  const commands = new Set(fetched.filter((m) => isCommand(m.text)).map((m) => m.id));
  const past: BackendMessage[] = [];
  for (const m of fetched) {
    if (m.id === current.id || m.timestamp > current.timestamp || isCommand(m.text)) continue;
    if (m.replyTo && (commands.has(m.replyTo.messageId) || isCommand(m.replyTo.text))) continue;
    const place =
      placeInContext(state, conversation, conversation, m.timestamp) ??
      state.restored.find((s) => m.timestamp > s.from && m.timestamp <= s.to);
    if (place && belongs(m, request, place === 'live' ? current.sender.id : place.userId)) {
      past.push(toBackend(m, request, isFromMate(m, request) ? m.text : request.unaddressed(m.text)));
    }
  }
  return past;
}

async function fromStore(request: HistoryRequest, state: BotState): Promise<BackendMessage[]> {
  const { current, state: context, conversation } = request;
  // Limitation: a restored stretch older than the read depth in its source conversation is not read.
  const depth = historyReadDepth(request.mate.history.maxMessages);
  const sources = new Set([conversation, ...context.restored.map((s) => s.conversation)]);
  const read = await Promise.all(
    [...sources].map(async (source) => ({ source, messages: await state.history(source, depth) })),
  );
  return read
    .flatMap(({ source, messages }) =>
      messages.filter(
        (m) => m.id !== current.id && placeInContext(context, conversation, source, m.timestamp),
      ),
    )
    .sort((a, b) => a.timestamp - b.timestamp)
    .map(({ role, content, name }) => (name === undefined ? { role, content } : { role, content, name }));
}

/** Whether a platform message is part of this mate's conversation. */
function belongs(m: ChatMessage, request: HistoryRequest, user: string): boolean {
  if (request.mate.scope === 'per-room') return true;
  if (isFromMate(m, request)) return m.replyTo?.senderId === user || request.current.isDirect;
  return m.sender.id === user;
}

function isFromMate(m: ChatMessage, request: HistoryRequest): boolean {
  return request.identity !== undefined && m.sender.id === request.identity.userId;
}

function toBackend(m: ChatMessage, request: HistoryRequest, content: string): BackendMessage {
  if (isFromMate(m, request)) return { role: 'assistant', content };
  return request.mate.scope === 'per-room'
    ? { role: 'user', content, name: m.sender.name }
    : { role: 'user', content };
}
