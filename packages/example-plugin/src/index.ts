// The default export is the plugin; the rest is exported for tests and reuse.
export { default } from './plugin.js';
export { ShoutBackend } from './shout-backend.js';
export { shoutConfigSchema, shoutProfileSchema, type ShoutConfig, type ShoutProfile } from './config.js';
