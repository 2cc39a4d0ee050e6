import type { BackendMessage } from '../backend/backend.js';
import type { Store } from '../store/store.js';
import { StoreNamespaces } from '../store/store-namespaces.js';
import { type ConversationState, EMPTY_CONVERSATION, type Snapshot } from './conversation-state.js';
import { HistoryCache } from './history-cache.js';
import { DEFAULT_ROOM, type RoomState } from './room-state.js';

/** Store namespaces the engine writes: conversation state lives with the reset markers. */
const EngineNamespaces = {
  rooms: StoreNamespaces.rooms,
  conversations: StoreNamespaces.resets,
  snapshots: StoreNamespaces.snapshots,
  history: StoreNamespaces.history,
} as const;

const SEP = '\u001e';

/** A message kept in the store for platforms that keep no history. */
export interface StoredMessage extends BackendMessage {
  readonly id: string;
  readonly timestamp: number;
  readonly senderId: string;
}

/**
 * The engine's typed view of the store: room state, conversation context markers, snapshots
 * and (only for platforms without history) conversation text. Room state is cached in memory
 * because every inbound message reads it.
 */
export class BotState {
  private readonly rooms = new Map<string, RoomState>();
  private readonly recent: HistoryCache;
  /** Stored messages kept per conversation; undefined: all of them (see the constructor). */
  private readonly keep: number | undefined;

  /**
   * @param historyDepth the most stored messages one read asks for (the engine reads twice a
   *   mate's `history.maxMessages`, plus one, see `historyReadDepth`). The store keeps that many
   *   per conversation and deletes older ones, which no read can reach; the cache holds the same
   *   messages. Up to 256: deeper windows keep everything and cache the newest 256.
   */
  constructor(
    private readonly store: Store,
    historyDepth?: number,
  ) {
    const depth = Math.max(1, historyDepth ?? MAX_CACHED_MESSAGES);
    this.keep = historyDepth !== undefined && depth <= MAX_CACHED_MESSAGES ? depth : undefined;
    this.recent = new HistoryCache(undefined, Math.min(MAX_CACHED_MESSAGES, depth), this.keep !== undefined);
  }

  async room(key: string): Promise<RoomState> {
    const cached = this.rooms.get(key);
    if (cached) return cached;
    const stored = (await this.store.get<RoomState>(EngineNamespaces.rooms, key)) ?? DEFAULT_ROOM;
    this.rooms.set(key, stored);
    return stored;
  }

  async updateRoom(key: string, change: Partial<RoomState>): Promise<RoomState> {
    const next = { ...(await this.room(key)), ...change };
    this.rooms.set(key, next);
    await this.store.put(EngineNamespaces.rooms, key, next);
    return next;
  }

  async conversation(key: string): Promise<ConversationState> {
    return (
      (await this.store.get<ConversationState>(EngineNamespaces.conversations, key)) ?? EMPTY_CONVERSATION
    );
  }

  async updateConversation(key: string, change: Partial<ConversationState>): Promise<ConversationState> {
    const next = { ...(await this.conversation(key)), ...change };
    await this.store.put(EngineNamespaces.conversations, key, next);
    return next;
  }

  async saveSnapshot(roomKey: string, snapshot: Snapshot): Promise<void> {
    await this.store.put(
      EngineNamespaces.snapshots,
      `${roomKey}${SEP}${snapshot.name.toLowerCase()}`,
      snapshot,
    );
  }

  async snapshot(roomKey: string, name: string): Promise<Snapshot | undefined> {
    return this.store.get<Snapshot>(EngineNamespaces.snapshots, `${roomKey}${SEP}${name.toLowerCase()}`);
  }

  async snapshots(roomKey: string): Promise<Snapshot[]> {
    const entries = await this.store.list<Snapshot>(EngineNamespaces.snapshots, `${roomKey}${SEP}`);
    return entries.map((e) => e.value);
  }

  /**
   * Stores a message of a conversation. A message the newest `keep` push out is deleted in the
   * same breath (one store batch with the write), so pruning costs a delete per message, never
   * a burst.
   */
  async appendHistory(conversation: string, message: StoredMessage): Promise<void> {
    const write = this.store.put(EngineNamespaces.history, historyKey(conversation, message), message);
    const dropped = this.recent.append(conversation, message);
    if (this.keep === undefined || dropped.length === 0) return write;
    // Every operation is issued before the first is awaited: the store batches them together.
    const deletes = dropped.map((old) =>
      this.store.delete(EngineNamespaces.history, historyKey(conversation, old)),
    );
    await write;
    for (const deleted of deletes) await deleted;
  }

  /** The newest `limit` stored messages of a conversation, oldest first. */
  async history(conversation: string, limit: number): Promise<StoredMessage[]> {
    const cached = this.recent.get(conversation, limit);
    if (cached) return cached;
    const prefix = `${conversation}${SEP}`;
    if (this.keep === undefined) {
      const entries = await this.store.list<StoredMessage>(EngineNamespaces.history, prefix, {
        reverse: true,
        limit,
      });
      const messages = entries.map((e) => e.value).reverse();
      this.recent.fill(conversation, messages, limit);
      return messages;
    }
    // Read it all once per stay in the cache: what lies deeper than `keep` (left by a version
    // that kept everything, or stored while the conversation was out of the cache) goes now.
    const newestFirst = await this.store.list<StoredMessage>(EngineNamespaces.history, prefix, {
      reverse: true,
    });
    await Promise.all(
      newestFirst.slice(this.keep).map(({ key }) => this.store.delete(EngineNamespaces.history, key)),
    );
    const kept = newestFirst
      .slice(0, this.keep)
      .map((e) => e.value)
      .reverse();
    // Complete: the store holds nothing older now.
    this.recent.fill(conversation, kept, this.keep + 1);
    return kept.slice(-limit);
  }
}

const MAX_CACHED_MESSAGES = 256;

function historyKey(conversation: string, message: StoredMessage): string {
  // Joined rather than concatenated: one flat string at once, where `+` builds a tree of pieces
  // that the store's key check then copies into a flat string, so every key was built twice.
  return [conversation, SEP, timestampText(message.timestamp).padStart(15, '0'), SEP, message.id].join('');
}

/**
 * `String(timestamp)`, without V8's number-to-string cache: an epoch-milliseconds timestamp is
 * a heap number, and converting one through the cache allocates the text in the old generation,
 * where only a full collection frees it (measured on Node 20: 3M conversions, 6 full
 * collections through `String`, none through `toFixed`). Integers print the same either way.
 */
function timestampText(timestamp: number): string {
  return Number.isInteger(timestamp) && Math.abs(timestamp) < 1e21 ? timestamp.toFixed(0) : String(timestamp);
}
