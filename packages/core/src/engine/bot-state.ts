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
 * because every inbound message reads it; so are the newest messages of recent conversations.
 */
export class BotState {
  private readonly rooms = new Map<string, RoomState>();
  private readonly recent: HistoryCache;
  /** Stored messages kept per conversation; undefined: all of them. */
  private readonly keep: number | undefined;

  /**
   * @param historyDepth the most stored messages one read asks for (the engine reads twice a
   *   mate's `history.maxMessages`, plus one, see `historyReadDepth`). The store keeps that many
   *   of each conversation's newest messages and deletes older ones, which no read can reach;
   *   undefined keeps them all. The cache holds as many, up to 256 per conversation.
   */
  constructor(
    private readonly store: Store,
    historyDepth?: number,
  ) {
    this.keep = historyDepth === undefined ? undefined : Math.max(1, historyDepth);
    this.recent = new HistoryCache(
      undefined,
      Math.min(MAX_CACHED_MESSAGES, this.keep ?? MAX_CACHED_MESSAGES),
    );
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
   * Stores a message of a conversation; {@link cachedHistory} has it at once. Each message is
   * an entry of its own, so appends need no read first and may overlap. With a `historyDepth`,
   * the conversation's entries beyond the newest that many are deleted after the write.
   */
  async appendHistory(conversation: string, message: StoredMessage): Promise<void> {
    this.recent.append(conversation, message);
    await this.store.put(EngineNamespaces.history, historyKey(conversation, message), message);
    if (this.keep === undefined) return;
    const newestFirst = await this.store.list<unknown>(
      EngineNamespaces.history,
      historyPrefix(conversation),
      {
        reverse: true,
      },
    );
    await Promise.all(
      newestFirst.slice(this.keep).map(({ key }) => this.store.delete(EngineNamespaces.history, key)),
    );
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
    const newestFirst = await this.store.list<StoredMessage>(
      EngineNamespaces.history,
      historyPrefix(conversation),
      { reverse: true, limit },
    );
    const messages = newestFirst.map((entry) => entry.value).reverse();
    this.recent.fill(conversation, messages, limit);
    return messages;
  }
}

const MAX_CACHED_MESSAGES = 256;

function historyPrefix(conversation: string): string {
  return `${conversation}${SEP}`;
}

/**
 * `<conversation>\u001e<timestamp>\u001e<id>`: the timestamp zero-padded to 15 digits so that
 * keys sort in time order (LMDB and MemoryStore list in byte order); the id keeps messages of the
 * same millisecond apart.
 */
function historyKey(conversation: string, message: StoredMessage): string {
  const time = String(Math.floor(message.timestamp)).padStart(15, '0');
  return `${historyPrefix(conversation)}${time}${SEP}${message.id}`;
}

/** A conversation's stored state, or the state of one that has none yet. */
function orEmpty(state: ConversationState | undefined): ConversationState {
  return state ?? EMPTY_CONVERSATION;
}
