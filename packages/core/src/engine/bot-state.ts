import type { BackendMessage } from '../backend/backend.js';
import type { Store } from '../store/store.js';
import { StoreNamespaces } from '../store/store-namespaces.js';
import { type ConversationState, EMPTY_CONVERSATION, type Snapshot } from './conversation-state.js';
import { HistoryCache } from './history-cache.js';
import { DEFAULT_ROOM, type RoomState } from './room-state.js';

const { rooms: ROOMS, snapshots: SNAPSHOTS, history: HISTORY } = StoreNamespaces;
// A conversation's state is its reset marker and what a rollback restored: it lives with the resets.
const CONVERSATIONS = StoreNamespaces.resets;
const SEP = '\u001e';
const MAX_CACHED_MESSAGES = 256;

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
   * @param historyDepth the most stored messages one read asks for. The store keeps that many of
   *   each conversation's newest messages and deletes older ones, which no read can reach;
   *   undefined keeps them all.
   */
  constructor(
    private readonly store: Store,
    historyDepth?: number,
  ) {
    this.keep = historyDepth === undefined ? undefined : Math.max(1, historyDepth);
    this.recent = new HistoryCache(undefined, Math.min(MAX_CACHED_MESSAGES, this.keep ?? Infinity));
  }

  async room(key: string): Promise<RoomState> {
    const cached = this.rooms.get(key);
    if (cached) return cached;
    const stored = (await this.store.get<RoomState>(ROOMS, key)) ?? DEFAULT_ROOM;
    this.rooms.set(key, stored);
    return stored;
  }

  async updateRoom(key: string, change: Partial<RoomState>): Promise<RoomState> {
    const next = { ...(await this.room(key)), ...change };
    this.rooms.set(key, next);
    await this.store.put(ROOMS, key, next);
    return next;
  }

  async conversation(key: string): Promise<ConversationState> {
    return (await this.store.get<ConversationState>(CONVERSATIONS, key)) ?? EMPTY_CONVERSATION;
  }

  async updateConversation(key: string, change: Partial<ConversationState>): Promise<ConversationState> {
    const next = { ...(await this.conversation(key)), ...change };
    await this.store.put(CONVERSATIONS, key, next);
    return next;
  }

  async saveSnapshot(roomKey: string, snapshot: Snapshot): Promise<void> {
    await this.store.put(SNAPSHOTS, `${roomKey}${SEP}${snapshot.name.toLowerCase()}`, snapshot);
  }

  async snapshot(roomKey: string, name: string): Promise<Snapshot | undefined> {
    return this.store.get<Snapshot>(SNAPSHOTS, `${roomKey}${SEP}${name.toLowerCase()}`);
  }

  async snapshots(roomKey: string): Promise<Snapshot[]> {
    const entries = await this.store.list<Snapshot>(SNAPSHOTS, `${roomKey}${SEP}`);
    return entries.map((e) => e.value);
  }

  /**
   * Stores a message of a conversation; {@link history} has it at once. Each message is an entry
   * of its own, so appends need no read first and may overlap.
   */
  async appendHistory(conversation: string, message: StoredMessage): Promise<void> {
    this.recent.append(conversation, message);
    await this.store.put(HISTORY, historyKey(conversation, message), message);
    if (this.keep === undefined) return;
    const newestFirst = await this.store.list<unknown>(HISTORY, `${conversation}${SEP}`, { reverse: true });
    await Promise.all(newestFirst.slice(this.keep).map(({ key }) => this.store.delete(HISTORY, key)));
  }

  /** The newest `limit` stored messages of a conversation, oldest first. */
  async history(conversation: string, limit: number): Promise<StoredMessage[]> {
    const cached = this.recent.get(conversation, limit);
    if (cached) return cached;
    const prefix = `${conversation}${SEP}`;
    const newestFirst = await this.store.list<StoredMessage>(HISTORY, prefix, { reverse: true, limit });
    const messages = newestFirst.map((entry) => entry.value).reverse();
    this.recent.fill(conversation, messages, limit);
    return messages;
  }
}

/**
 * `<conversation>\u001e<timestamp>\u001e<id>`: the timestamp zero-padded to 15 digits so that
 * keys sort in time order; the id keeps messages of the same millisecond apart.
 */
function historyKey(conversation: string, message: StoredMessage): string {
  const time = String(Math.floor(message.timestamp)).padStart(15, '0');
  return `${conversation}${SEP}${time}${SEP}${message.id}`;
}
