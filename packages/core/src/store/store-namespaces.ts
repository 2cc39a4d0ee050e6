/**
 * The namespaces core keeps in the {@link Store}. Plugins may add their own namespaces; they
 * should prefix them with their plugin name (`matrix.sync`) so they never collide with these.
 */
export const StoreNamespaces = {
  /** Room state, one entry per room: started or stopped, the default mate, bot-to-bot talk. */
  rooms: 'rooms',
  /** Per conversation: the reset marker, segments a rollback restored, the chosen profile. */
  resets: 'resets',
  /** Named context save points per room, so a conversation can be put aside and resumed. */
  snapshots: 'snapshots',
  /** Inbound event ids already processed, with their claim time; see {@link EventLedger}. */
  events: 'events',
  /** Bot identities registered per transport (one platform account or user per mate). */
  identities: 'identities',
  /** Conversation text, only for platforms that keep none; written only through `BotState`. */
  history: 'history',
  /** Facts about the store itself, such as its schema version (see `applyStoreMigrations`). */
  meta: 'meta',
} as const;

/** One of the namespaces core uses; see {@link StoreNamespaces}. */
export type StoreNamespace = (typeof StoreNamespaces)[keyof typeof StoreNamespaces];
