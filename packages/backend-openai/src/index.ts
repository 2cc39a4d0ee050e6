// Public API of @confab/backend-openai. The default export is the plugin the bot loads.
export { default } from './plugin.js';
export { OpenAIBackend } from './openai-backend.js';
export { openaiRequestOptions, type OpenAIRequestOptions } from './request-options.js';
export {
  openaiBackendConfigSchema,
  openaiProfileSchema,
  openaiOptionsSchema,
  type OpenAIBackendConfig,
  type OpenAIProfile,
  type OpenAIOptions,
} from './config.js';
