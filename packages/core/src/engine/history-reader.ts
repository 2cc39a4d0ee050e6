import type { BackendMessage } from '../backend/backend.js';
import type { MateConfig } from '../config/schema.js';
import type { BotIdentity, ChatMessage } from '../messages/chat-message.js';
import type { Transport } from '../transport/transport.js';
import type { BotState, StoredMessage } from './bot-state.js';
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
  /** The text of `current` as the mate reads it: without an address to it at its start. */
  readonly currentText: string;
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
 * Reads a conversation's history, oldest first, ending with the current message: from the
 * platform when it keeps it (confab then stores no text), else from the store; only messages
 * inside the conversation's context (after the reset marker or in restored segments).
 */
export async function readHistory(request: HistoryRequest, state: BotState): Promise<BackendMessage[]> {
  const { mate, current } = request;
  const limit = mate.history.maxMessages;
  const current_ = toBackend(current, request, request.currentText);
  if (limit === 0) return [current_];
  let past: BackendMessage[];
  const { state: convState, conversation } = request;
  if (usesPlatformHistory(mate, request.transport)) {
    const fetched = await request.platform.read(request.transport, current, {
      // Other people's and commands' messages are filtered out below; read more to fill the window.
      limit: Math.min(limit * 3, 500),
      after: { timestamp: earliest(convState) },
    });
    past = [];
    // A command and the mate's answer to it (a notice such as "starts a new conversation") are
    // not conversation; the answer is recognised by replying to the command.
    const isCommand = (text: string | undefined) => text?.trimStart().startsWith(request.commandPrefix);
    const commands = new Set(fetched.filter((m) => isCommand(m.text)).map((m) => m.id));
    for (const m of fetched) {
      if (m.id === current.id || m.timestamp > current.timestamp) continue;
      if (m.replyTo && (commands.has(m.replyTo.messageId) || isCommand(m.replyTo.text))) continue;
      const place =
        placeInContext(convState, conversation, conversation, m.timestamp) ??
        convState.restored.find((s) => m.timestamp > s.from && m.timestamp <= s.to);
      if (!place) continue;
      const userId = place === 'live' ? current.sender.id : place.userId;
      if (!belongs(m, request, userId)) continue;
      // Past messages are read as the mate read them when they came: without the address.
      const fromMate = request.identity !== undefined && m.sender.id === request.identity.userId;
      past.push(toBackend(fromMate ? m : { ...m, text: request.unaddressed(m.text) }, request));
    }
  } else if (convState.restored.length === 0) {
    const depth = historyReadDepth(limit);
    // From the cache when it holds them: most messages are answered without an await here.
    const stored = state.cachedHistory(conversation, depth) ?? (await state.history(conversation, depth));
    past = storedSince(stored, convState.since, current.id, limit);
  } else {
    const sources = new Set([conversation, ...convState.restored.map((s) => s.conversation)]);
    // Limitation: a restored stretch older than that depth in its source conversation is not read.
    const depth = historyReadDepth(limit);
    const stored = (
      await Promise.all(
        [...sources].map(async (source) => ({ source, messages: await state.history(source, depth) })),
      )
    )
      .flatMap(({ source, messages }) =>
        messages.filter(
          (m) => m.id !== current.id && placeInContext(convState, conversation, source, m.timestamp),
        ),
      )
      .sort((a, b) => a.timestamp - b.timestamp);
    past = stored.map(({ role, content, name }) =>
      name === undefined ? { role, content } : { role, content, name },
    );
  }
  if (past.length > limit) past = past.slice(-limit);
  past.push(current_);
  return past;
}

/**
 * The newest `limit` of a conversation's `stored` messages after `since`, oldest first: the
 * common case (nothing restored by a rollback), read without merging sources.
 */
function storedSince(
  stored: readonly StoredMessage[],
  since: number,
  currentId: string,
  limit: number,
): BackendMessage[] {
  let first = stored.length;
  let taken = 0;
  while (first > 0 && taken < limit) {
    const m = stored[first - 1] as StoredMessage;
    if (m.timestamp <= since) break;
    first--;
    if (m.id !== currentId) taken++;
  }
  const past: BackendMessage[] = [];
  for (let i = first; i < stored.length; i++) {
    const { id, role, content, name } = stored[i] as StoredMessage;
    if (id === currentId) continue;
    past.push(name === undefined ? { role, content } : { role, content, name });
  }
  return past;
}

/** Whether a platform message is part of this mate's conversation. */
function belongs(m: ChatMessage, request: HistoryRequest, user: string): boolean {
  if (m.text.trimStart().startsWith(request.commandPrefix)) return false;
  const fromMate = request.identity !== undefined && m.sender.id === request.identity.userId;
  if (request.mate.scope === 'per-room') return true;
  if (fromMate) return m.replyTo?.senderId === user || request.current.isDirect;
  return m.sender.id === user;
}

function toBackend(m: ChatMessage, request: HistoryRequest, text = m.text): BackendMessage {
  const fromMate = request.identity !== undefined && m.sender.id === request.identity.userId;
  if (fromMate) return { role: 'assistant', content: text };
  return request.mate.scope === 'per-room'
    ? { role: 'user', content: text, name: m.sender.name }
    : { role: 'user', content: text };
}
