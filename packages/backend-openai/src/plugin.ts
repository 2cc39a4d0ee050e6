import { definePlugin, Tokens } from '@confab/core';
import { openaiBackendConfigSchema } from './config.js';
import { OpenAIBackend } from './openai-backend.js';

/**
 * `@confab/backend-openai`: mates answered by any OpenAI-compatible chat-completions server.
 *
 * ```yaml
 * backends:
 *   - name: vllm
 *     plugin: '@confab/backend-openai'
 *     baseURL: http://127.0.0.1:8000/v1
 *     apiKey: ${VLLM_API_KEY}
 *     profiles:
 *       small: { model: Qwen/Qwen2.5-0.5B-Instruct, parallel: 8 }
 * ```
 */
export default definePlugin({
  name: '@confab/backend-openai',
  kind: 'backend',
  configSchema: openaiBackendConfigSchema,
  register(container) {
    // This container belongs to one `backends[]` entry; no I/O until the bot calls start().
    container.registerSingleton(Tokens.Backend, OpenAIBackend);
  },
});
