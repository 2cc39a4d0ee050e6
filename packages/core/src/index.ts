// Public API of @confab/core. Each line re-exports one concept's file.

export { Tokens, type Token } from './tokens.js';

// Contracts
export type * from './messages/chat-message.js';
export type * from './transport/transport.js';
export type * from './backend/backend.js';
export type * from './scheduler/scheduler.js';
export type * from './commands/command-plugin.js';
export type * from './store/store.js';
export type * from './logging/logger.js';

// Events
export type * from './events/events.js';
export { EventBus } from './events/event-bus.js';

// Plugins
export {
  definePlugin,
  isPluginDefinition,
  type PluginDefinition,
  type PluginKind,
  type PluginInstanceInfo,
  type PluginWarning,
  type PluginCheckContext,
} from './plugin/plugin-definition.js';

// Store
export { StoreNamespaces, type StoreNamespace } from './store/store-namespaces.js';
export { MemoryStore, type MemoryStoreOptions } from './store/memory-store.js';
export { LmdbStore, type LmdbStoreOptions } from './store/lmdb-store.js';
export { createDefaultStore, MEMORY_STORE_PATH } from './store/create-store.js';
export { EventLedger, type EventLedgerOptions } from './store/event-ledger.js';
export {
  applyStoreMigrations,
  latestSchemaVersion,
  readSchemaVersion,
  SCHEMA_VERSION_KEY,
  STORE_MIGRATIONS,
  type StoreMigration,
  type StoreMigrationResult,
} from './store/migrations.js';
export { MAX_STORE_KEY_BYTES } from './store/store-validation.js';

// Errors and logging
export { ConfabError, isConfabError } from './errors/confab-error.js';
export {
  createLogger,
  createSilentLogger,
  REDACTED_PATHS,
  type LoggerOptions,
} from './logging/pino-logger.js';

// Config
export * from './config/schema.js';

// zod, re-exported so plugins build their config schemas with the same copy core validates with.
export { z } from 'zod';
