// Public API of @confab/transport-console. The default export is the plugin the bot loads.
export { default } from './plugin.js';
export {
  ConsoleTransport,
  type ConsoleTransportOptions,
  CONSOLE_PLATFORM,
  CONSOLE_ROOM_ID,
  CONSOLE_USER_ID,
  consoleMateUserId,
} from './console-transport.js';
export { ConsoleTokens, type ConsoleStreams } from './console-tokens.js';
export { consoleTransportConfigSchema, type ConsoleTransportConfig } from './config.js';
