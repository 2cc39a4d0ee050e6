// Public API of @confab/store-lmdb. The default export is the plugin the bot loads.
export { default } from './plugin.js';
export { LmdbStore, type LmdbStoreOptions } from './lmdb-store.js';
