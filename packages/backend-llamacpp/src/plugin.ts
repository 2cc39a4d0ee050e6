import { definePlugin, Tokens } from '@confab/core';
import { instanceCachingFactory } from 'tsyringe';
import { llamaCppConfigSchema } from './config.js';
import { checkConfig } from './config-check.js';
import { LlamaCppBackend } from './llamacpp-backend.js';

/** `plugin: "@confab/backend-llamacpp"`: local GGUF models through node-llama-cpp. */
export default definePlugin({
  name: '@confab/backend-llamacpp',
  kind: 'backend',
  configSchema: llamaCppConfigSchema,
  register(container) {
    container.register(Tokens.Backend, {
      useFactory: instanceCachingFactory((c) => c.resolve(LlamaCppBackend)),
    });
  },
  check(config, context) {
    return checkConfig(config, context.instance.configDir);
  },
});
