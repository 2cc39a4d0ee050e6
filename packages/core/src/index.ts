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
