import type { BackendMessage } from '../backend/backend.js';
import { HistoryPages } from '../store/history-pages.js';
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
  private readonly pages: HistoryPages<StoredMessage>;
  /** Stored messages kept per conversation; undefined: all of them (see the constructor). */
  private readonly keep: number | undefined;

  /**
   * @param historyDepth the most stored messages one read asks for (the engine reads twice a
   *   mate's `history.maxMessages`, plus one, see `historyReadDepth`). The store keeps the pages
   *   that hold that many per conversation and deletes older ones, which no read can reach; the
   *   cache holds the newest that many. Up to 256: deeper windows keep everything and cache the
   *   newest 256.
   */
  constructor(
    private readonly store: Store,
    historyDepth?: number,
  ) {
    const depth = Math.max(1, historyDepth ?? MAX_CACHED_MESSAGES);
    this.keep = historyDepth !== undefined && depth <= MAX_CACHED_MESSAGES ? depth : undefined;
    this.recent = new HistoryCache(undefined, Math.min(MAX_CACHED_MESSAGES, depth), this.keep !== undefined);
    this.pages = new HistoryPages(store, this.keep);
  }

  async room(key: string): Promise<RoomState> {
    const cached = this.rooms.get(key);
    if (cached) return cached;
    const stored = (await this.store.get<RoomState>(EngineNamespaces.rooms, key)) ?? DEFAULT_ROOM;
    this.rooms.set(key, stored);
    return stored;
  }

  /**
   * The room's state as this bot last read or changed it, without reading the store; undefined
   * while no message or command has read it.
   */
  cachedRoom(key: string): RoomState | undefined {
    return this.rooms.get(key);
  }

  async updateRoom(key: string, change: Partial<RoomState>): Promise<RoomState> {
    const next = { ...(await this.room(key)), ...change };
    this.rooms.set(key, next);
    await this.store.put(EngineNamespaces.rooms, key, next);
    return next;
  }

  conversation(key: string): Promise<ConversationState> {
    return this.store.get<ConversationState>(EngineNamespaces.conversations, key).then(orEmpty);
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
   * Stores a message of a conversation (see {@link HistoryPages} for how, and what is kept).
   * {@link cachedHistory} has it at once.
   */
  appendHistory(conversation: string, message: StoredMessage): Promise<void> {
    this.recent.append(conversation, message);
    return this.pages.append(conversation, message);
  }

  /**
   * The newest `limit` stored messages of a conversation, oldest first, when the cache holds
   * them: what {@link history} answers, without a read or an await. Undefined: ask `history`.
   */
  cachedHistory(conversation: string, limit: number): StoredMessage[] | undefined {
    return this.recent.get(conversation, limit);
  }

  /** The newest `limit` stored messages of a conversation, oldest first. */
  async history(conversation: string, limit: number): Promise<StoredMessage[]> {
    const cached = this.recent.get(conversation, limit);
    if (cached) return cached;
    if (this.keep === undefined) {
      const messages = await this.pages.newest(conversation, limit);
      this.recent.fill(conversation, messages, limit);
      return messages;
    }
    // Read it all once per stay in the cache: pages deeper than `keep` (left by a version that
    // kept more) go now.
    const kept = await this.pages.trimmed(conversation);
    // Complete: no read asks for more than `keep`, which the cache holds from now on.
    this.recent.fill(conversation, kept, this.keep + 1);
    return kept.slice(-limit);
  }
}

const MAX_CACHED_MESSAGES = 256;

/** A conversation's stored state, or the state of one that has none yet. */
function orEmpty(state: ConversationState | undefined): ConversationState {
  return state ?? EMPTY_CONVERSATION;
}
