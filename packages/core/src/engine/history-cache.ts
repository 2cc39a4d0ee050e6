import { ChurnMap } from '../collections/churn-map.js';
import type { StoredMessage } from './bot-state.js';

interface Entry {
  messages: StoredMessage[];
  /** Whether `messages` holds everything the store has for the conversation. */
  complete: boolean;
  /** When it was last used, on the cache's own clock. */
  used: number;
}

/**
 * The newest stored messages of recently active conversations, so answering a message does not
 * re-read its history from the store. Least recently used conversations are forgotten first;
 * the store stays the source of truth (a miss reads it).
 */
export class HistoryCache {
  private readonly entries = new ChurnMap<Entry>();
  // Recency is a stamp per entry rather than the map's order: moving a key to the end on every
  // use would delete and re-add it each time, and the map's table would churn.
  private clock = 0;

  /**
   * @param readsFit whether no read asks for more than `maxMessages`, so what `append` drops is
   *   never needed again and a conversation the cache knew completely stays completely known.
   */
  constructor(
    private readonly maxConversations = 2_000,
    private readonly maxMessages = 256,
    private readonly readsFit = false,
  ) {}

  /** The newest `limit` messages, oldest first, when the cache can answer. */
  get(conversation: string, limit: number): StoredMessage[] | undefined {
    const entry = this.entries.get(conversation);
    if (!entry || (entry.messages.length < limit && !entry.complete)) return undefined;
    entry.used = ++this.clock;
    return entry.messages.slice(-limit);
  }

  /**
   * Remember what the store returned for a read of `limit` messages. Messages appended while the
   * read was in flight are merged in, so a slow read never hides a newer message.
   */
  fill(conversation: string, messages: StoredMessage[], limit: number): void {
    const known = new Set(messages.map((m) => m.id));
    const appended = this.entries.get(conversation)?.messages.filter((m) => !known.has(m.id)) ?? [];
    const merged = [...messages, ...appended].sort((a, b) => a.timestamp - b.timestamp);
    this.set(conversation, {
      messages: merged.slice(-this.maxMessages),
      complete: messages.length < limit,
      used: 0,
    });
  }

  /** A message was appended to the store; the newest `maxMessages` of a conversation are kept. */
  append(conversation: string, message: StoredMessage): void {
    // A conversation not read yet may have older messages in the store: not complete.
    const entry = this.entries.get(conversation) ?? { messages: [], complete: false, used: 0 };
    // Appends arrive in time order; keep the list sorted if one is late.
    let i = entry.messages.length;
    while (i > 0 && (entry.messages[i - 1] as StoredMessage).timestamp > message.timestamp) i--;
    entry.messages.splice(i, 0, message);
    if (entry.messages.length > this.maxMessages) {
      entry.messages.splice(0, entry.messages.length - this.maxMessages);
      // The cache no longer holds everything a read may ask for, unless no read asks for more.
      if (!this.readsFit) entry.complete = false;
    }
    this.set(conversation, entry);
  }

  private set(conversation: string, entry: Entry): void {
    entry.used = ++this.clock;
    const known = this.entries.get(conversation);
    if (known === entry) return;
    this.entries.set(conversation, entry);
    if (known !== undefined || this.entries.size <= this.maxConversations) return;
    // A tenth at once, least recently used first: finding them sorts the whole table.
    const excess = this.entries.size - this.maxConversations + Math.floor(this.maxConversations / 10);
    const byAge = this.entries.entries().sort((a, b) => a[1].used - b[1].used);
    for (const [key] of byAge.slice(0, excess)) this.entries.delete(key);
  }
}
