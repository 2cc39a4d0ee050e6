// Public API of @confab/core. Each line re-exports one concept's file (`*` where all of it is public).

export { Tokens, type Token } from './tokens.js';

// Contracts
export type * from './messages/chat-message.js';
export * from './messages/code-spans.js';
export * from './messages/whole-word.js';
export type * from './transport/transport.js';
export { withRetryAfter, type RetryAfterOptions } from './transport/retry-after.js';
export type * from './backend/backend.js';
export type * from './scheduler/scheduler.js';
export type * from './commands/command-plugin.js';
export type * from './store/store.js';
export type * from './logging/logger.js';

export type * from './events/events.js';
export { EventBus } from './events/event-bus.js';

export * from './plugin/plugin-definition.js';

export { StoreNamespaces, type StoreNamespace } from './store/store-namespaces.js';
export { MEMORY_STORE_PATH, MemoryStore, type MemoryStoreOptions } from './store/memory-store.js';
export { createBuiltinStore } from './store/builtin-store.js';
export { EventLedger, type EventLedgerOptions } from './store/event-ledger.js';
export * from './store/migrations.js';
export { assertStoreKey, assertStoreValue, MAX_STORE_KEY_BYTES } from './store/store-validation.js';

// Errors and logging
export { ConfabError, isConfabError } from './errors/confab-error.js';
export * from './logging/pino-logger.js';
export { redactUrl } from './logging/redact-url.js';
export { secretRedactor } from './logging/redact-secrets.js';

export * from './config/schema.js';
export { ConfigError, formatConfigIssue, type ConfigIssue } from './config/config-error.js';
export * from './config/load-config.js';
export { defaultInstanceName } from './config/plugin-specifier.js';

// zod, re-exported so plugins build their config schemas with the same copy core validates with.
export { z } from 'zod';

export { Engine } from './engine/engine.js';
export type { EngineDeps } from './engine/engine-deps.js';
export { BotState, type StoredMessage } from './engine/bot-state.js';
export type { ConversationState, ContextSegment, Snapshot } from './engine/conversation-state.js';
export type { RoomState } from './engine/room-state.js';
export { splitMessage } from './engine/message-splitter.js';
export { PlatformHistory, type PlatformHistoryOptions } from './engine/platform-history.js';
export { estimateTokens, trimToBudget, type TokenCounter } from './engine/token-budget.js';
export { failureNotice, rejectionNotice } from './engine/user-notices.js';

export { LocalScheduler } from './scheduler/local-scheduler.js';
export { FairQueue, type Queueable } from './scheduler/fair-queue.js';
export { PartChannel } from './scheduler/part-channel.js';

export type { ConversationControl, EngineServices, JobControl } from './commands/engine-services.js';

export { Bot, type BotOptions } from './runtime/bot.js';
export { TransportRegistry, BackendRegistry } from './runtime/registries.js';
