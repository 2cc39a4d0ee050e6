import { definePlugin, Tokens } from '@confab/core';
import { shoutConfigSchema } from './config.js';
import { ShoutBackend } from './shout-backend.js';

/**
 * The plugin: what the bot imports by package name. `register` only wires (no I/O); the bot
 * calls the backend's `start()` when it starts.
 */
export default definePlugin({
  name: '@confab/example-plugin',
  kind: 'backend',
  configSchema: shoutConfigSchema,
  register(container) {
    // One instance per configured backend: this container belongs to this entry alone.
    container.registerSingleton(Tokens.Backend, ShoutBackend);
  },
});
