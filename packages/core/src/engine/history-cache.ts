import { LRUCache } from 'lru-cache';
import type { StoredMessage } from './bot-state.js';

interface Entry {
  /** The conversation's newest stored messages, oldest first. */
  readonly messages: StoredMessage[];
  /** Whether `messages` holds everything the store has for the conversation. */
  complete: boolean;
}

/**
 * The newest stored messages of recently active conversations, so answering a message does not
 * read its history from the store again. The least recently used conversations are forgotten
 * first; the store stays the source of truth (a miss reads it).
 */
export class HistoryCache {
  readonly #entries: LRUCache<string, Entry>;
  readonly #maxMessages: number;

  /** Remembers the newest `maxMessages` of each of up to `maxConversations` conversations. */
  constructor(maxConversations = 2_000, maxMessages = 256) {
    this.#entries = new LRUCache({ max: maxConversations });
    this.#maxMessages = maxMessages;
  }

  /** The newest `limit` messages, oldest first, when the cache can answer. */
  get(conversation: string, limit: number): StoredMessage[] | undefined {
    const entry = this.#entries.get(conversation);
    if (!entry || (entry.messages.length < limit && !entry.complete)) return undefined;
    return entry.messages.slice(-limit);
  }

  /**
   * Remembers what the store returned for a read of `limit` messages. Messages appended while
   * the read was in flight are merged in, so a slow read never hides a newer message.
   */
  fill(conversation: string, messages: readonly StoredMessage[], limit: number): void {
    const read = new Set(messages.map((m) => m.id));
    const appended = this.#entries.peek(conversation)?.messages.filter((m) => !read.has(m.id)) ?? [];
    const merged = [...messages, ...appended].sort((a, b) => a.timestamp - b.timestamp);
    this.#entries.set(conversation, {
      messages: merged.slice(-this.#maxMessages),
      // Fewer than asked for: the store had no more.
      complete: messages.length < limit && merged.length <= this.#maxMessages,
    });
  }

  /** A message was appended to the store. */
  append(conversation: string, message: StoredMessage): void {
    // A conversation not read yet may have older messages in the store: not complete.
    const entry = this.#entries.get(conversation) ?? { messages: [], complete: false };
    const { messages } = entry;
    // Appends come in time order; a late one is sorted in.
    let at = messages.length;
    while (at > 0 && (messages[at - 1] as StoredMessage).timestamp > message.timestamp) at--;
    messages.splice(at, 0, message);
    if (messages.length > this.#maxMessages) {
      messages.splice(0, messages.length - this.#maxMessages);
      entry.complete = false;
    }
    this.#entries.set(conversation, entry);
  }
}
