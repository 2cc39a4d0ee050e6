import { definePlugin, Tokens } from '@confab/core';
import { ollamaBackendConfigSchema } from './config.js';
import { OllamaBackend } from './ollama-backend.js';

/**
 * `@confab/backend-ollama`: mates answered by models on an Ollama server.
 *
 * ```yaml
 * backends:
 *   - name: ollama
 *     plugin: '@confab/backend-ollama'
 *     host: http://127.0.0.1:11434
 *     profiles:
 *       small: { model: qwen2.5:0.5b, parallel: 4 }
 * ```
 */
export default definePlugin({
  name: '@confab/backend-ollama',
  kind: 'backend',
  configSchema: ollamaBackendConfigSchema,
  register(container) {
    // This container belongs to one `backends[]` entry; no I/O until the bot calls start().
    container.registerSingleton(Tokens.Backend, OllamaBackend);
  },
});
