// Public API of @confab/backend-ollama. The default export is the plugin the bot loads.
export { default } from './plugin.js';
export { OllamaBackend } from './ollama-backend.js';
export { ollamaRequestOptions, type OllamaRequestOptions } from './request-options.js';
export {
  ollamaBackendConfigSchema,
  ollamaProfileSchema,
  ollamaOptionsSchema,
  type OllamaBackendConfig,
  type OllamaProfile,
  type OllamaOptions,
} from './config.js';
