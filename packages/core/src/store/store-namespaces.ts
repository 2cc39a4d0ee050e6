/**
 * The namespaces core keeps in the {@link Store}. Plugins may add their own namespaces; they
 * should prefix them with their plugin name (`matrix.sync`) so they never collide with these.
 */
export const StoreNamespaces = {
  /**
   * Room state, one entry per room: started or stopped, the default mate, and the profile
   * chosen per mate. Keyed by transport and room.
   */
  rooms: 'rooms',
  /**
   * Reset markers, one per conversation: where the history a mate sees starts after `!reset`.
   * Keyed by conversation key.
   */
  resets: 'resets',
  /** Named context save points per room, so a conversation can be put aside and resumed. */
  snapshots: 'snapshots',
  /**
   * Inbound event ids already processed, so no event is answered twice, also across restarts.
   * Value: the time the event was claimed, in epoch milliseconds. Written and pruned only
   * through {@link EventLedger}.
   */
  events: 'events',
  /** Bot identities registered per transport (one platform account or user per mate). */
  identities: 'identities',
  /**
   * Conversation messages stored by confab itself, for platforms that keep no history the bot
   * can read back: one entry per message, keyed `<conversation>\u001e<timestamp>\u001e<id>`
   * with the timestamp as 15 zero-padded digits, so a conversation's messages list in time
   * order. Written and trimmed only through `BotState`.
   */
  history: 'history',
  /** Facts about the store itself, such as its schema version (see `applyStoreMigrations`). */
  meta: 'meta',
} as const;

/** One of the namespaces core uses; see {@link StoreNamespaces}. */
export type StoreNamespace = (typeof StoreNamespaces)[keyof typeof StoreNamespaces];
