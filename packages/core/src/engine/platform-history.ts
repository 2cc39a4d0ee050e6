import { LRUCache } from 'lru-cache';
import type { ChatLocation, ChatMessage } from '../messages/chat-message.js';
import type { HistoryQuery, Transport } from '../transport/transport.js';

/** Bounds of {@link PlatformHistory}: the least recently used rooms and the oldest messages go first. */
export interface PlatformHistoryOptions {
  /** Rooms and threads kept; default 1,000. */
  readonly maxLocations?: number;
  /** Messages kept per room or thread; default 500, the most the history reader asks for. */
  readonly maxMessages?: number;
}

const NEVER_READ = Number.POSITIVE_INFINITY;

/** What is kept of one room or thread. */
interface Window {
  /** By timestamp, oldest first; messages with equal timestamps in the order they came. */
  readonly messages: ChatMessage[];
  readonly byId: Map<string, ChatMessage>;
  /** Ids whose text the engine recorded; the platform's copies of them keep that text. */
  readonly recorded: Set<string>;
  /** Every platform message newer than this timestamp is in `messages`; NEVER_READ before the first read. */
  knownAfter: number;
  /** The transport's history epoch at the last platform read. */
  epoch?: number | undefined;
  /** The platform read in flight; other reads of the location wait for it. */
  reading?: Promise<unknown> | undefined;
}

/**
 * The recent messages of each room or thread on platforms that keep history (Discord, Matrix),
 * as the engine saw them, so answering a message does not read the platform's history again.
 * {@link read} answers like {@link Transport.fetchHistory} and asks the platform only for what
 * the window cannot vouch for: on the first read of a location, for older messages than the
 * window holds, and after the transport's {@link Transport.historyEpoch} changed.
 */
export class PlatformHistory {
  private readonly windows: LRUCache<string, Window>;
  private readonly maxMessages: number;

  constructor(options: PlatformHistoryOptions = {}) {
    this.windows = new LRUCache({ max: options.maxLocations ?? 1_000 });
    this.maxMessages = options.maxMessages ?? 500;
  }

  /** A message the transport delivered, in any room or thread, including the mates' own echoes. */
  observe(message: ChatMessage): void {
    this.upsert(this.windowOf(message), message, false);
  }

  /**
   * A message a mate sent, as it finally reads: its text wins over any copy the platform delivers
   * (an echo of a reply streamed by edits has only its first fragment; Matrix echoes nothing).
   */
  record(message: ChatMessage): void {
    this.upsert(this.windowOf(message), message, true);
  }

  /**
   * What `transport.fetchHistory(message, query)` would return: the newest `query.limit`
   * messages of `message`'s room or thread newer than `query.after`, oldest first. The platform
   * is read only when the window cannot answer; concurrent reads of a location share one request.
   */
  async read(transport: Transport, message: ChatMessage, query: HistoryQuery): Promise<ChatMessage[]> {
    const fetchHistory = transport.fetchHistory?.bind(transport);
    if (!fetchHistory)
      throw new Error(`transport '${transport.name}' keeps no history (it has no fetchHistory)`);
    const window = this.windowOf(message);
    while (window.reading) await window.reading;
    const epoch = transport.historyEpoch?.(message);
    if (epoch === window.epoch && this.answers(window, query)) return this.newest(window, query);
    const reading = this.refresh(window, epoch, query, () => fetchHistory(message, query));
    // A failed read is its own reader's failure; a waiting read then asks for itself.
    window.reading = reading.catch(() => {});
    const fetched = await reading.finally(() => {
      window.reading = undefined;
    });
    if (this.answers(window, query)) return this.newest(window, query);
    // Asked for more than the window keeps: the platform's answer, with the recorded texts.
    return fetched.map((m) => (window.recorded.has(m.id) ? (window.byId.get(m.id) ?? m) : m));
  }

  /**
   * Reads the platform and merges its answer, which holds everything newer than its `bound`.
   * With the window, that covers everything newer than the older of their bounds (after a gap,
   * the read alone). A message known before the read and newer than its bound that it did not
   * return was deleted.
   */
  private async refresh(
    window: Window,
    epoch: number | undefined,
    query: HistoryQuery,
    fetch: () => Promise<ChatMessage[]>,
  ): Promise<ChatMessage[]> {
    const before = new Set(window.byId.keys());
    const fetched = await fetch();
    const oldest = fetched[0];
    const bound =
      fetched.length < query.limit || oldest === undefined
        ? (query.after?.timestamp ?? Number.NEGATIVE_INFINITY)
        : oldest.timestamp - 1;
    window.knownAfter = Math.min(epoch === window.epoch ? window.knownAfter : NEVER_READ, bound);
    window.epoch = epoch;
    const returned = new Set(fetched.map((m) => m.id));
    const gone = (m: ChatMessage) =>
      m.timestamp > bound && before.has(m.id) && !returned.has(m.id) && !window.recorded.has(m.id);
    for (const m of window.messages) if (gone(m)) window.byId.delete(m.id);
    window.messages.splice(0, window.messages.length, ...window.messages.filter((m) => !gone(m)));
    for (const m of fetched) this.upsert(window, m, false);
    return fetched;
  }

  /** Whether the window holds the newest `query.limit` platform messages newer than `query.after`. */
  private answers(window: Window, query: HistoryQuery): boolean {
    const after = query.after?.timestamp ?? Number.NEGATIVE_INFINITY;
    if (after >= window.knownAfter) return true;
    const { messages } = window;
    return messages.length - firstNewer(messages, window.knownAfter) >= query.limit;
  }

  private newest(window: Window, query: HistoryQuery): ChatMessage[] {
    const { messages } = window;
    const after = query.after?.timestamp ?? Number.NEGATIVE_INFINITY;
    const from = Math.max(firstNewer(messages, after), messages.length - query.limit);
    return messages.slice(from);
  }

  private windowOf(location: ChatLocation): Window {
    const key = `${location.transport}\u001f${location.roomId}\u001f${location.threadId ?? ''}`;
    let window = this.windows.get(key);
    if (!window) {
      window = { messages: [], byId: new Map(), recorded: new Set(), knownAfter: NEVER_READ };
      this.windows.set(key, window);
    }
    return window;
  }

  private upsert(window: Window, message: ChatMessage, recorded: boolean): void {
    const known = window.byId.get(message.id);
    let next = message;
    if (recorded) {
      window.recorded.add(message.id);
      // The platform's copy knows the message best (its timestamp, reply details) but its text.
      if (known) next = { ...known, text: message.text };
    } else if (known && window.recorded.has(message.id)) {
      next = { ...message, text: known.text };
    }
    window.byId.set(next.id, next);
    const { messages } = window;
    const at = known ? messages.lastIndexOf(known) : -1;
    if (at >= 0) {
      if ((known as ChatMessage).timestamp === next.timestamp) {
        messages[at] = next;
        return;
      }
      messages.splice(at, 1);
    }
    const last = messages[messages.length - 1];
    if (last === undefined || last.timestamp <= next.timestamp) messages.push(next);
    else messages.splice(firstNewer(messages, next.timestamp), 0, next);
    if (messages.length > this.maxMessages) this.trim(window);
  }

  private trim(window: Window): void {
    const dropped = window.messages.splice(0, window.messages.length - this.maxMessages);
    for (const m of dropped) {
      window.byId.delete(m.id);
      window.recorded.delete(m.id);
    }
    const newestDropped = dropped[dropped.length - 1];
    if (newestDropped && window.knownAfter !== NEVER_READ) {
      window.knownAfter = Math.max(window.knownAfter, newestDropped.timestamp);
    }
  }
}

/** Index of the first message newer than `timestamp` in messages sorted by timestamp. */
function firstNewer(messages: readonly ChatMessage[], timestamp: number): number {
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((messages[mid] as ChatMessage).timestamp <= timestamp) low = mid + 1;
    else high = mid;
  }
  return low;
}
