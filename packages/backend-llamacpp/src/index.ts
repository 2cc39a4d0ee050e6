export { default } from './plugin.js';
export { LlamaCppBackend, resolveSampling } from './llamacpp-backend.js';
export {
  llamaCppConfigSchema,
  profileSchema,
  type LlamaCppConfig,
  type ProfileConfig,
  type ProfileSampling,
} from './config.js';
export { checkConfig } from './config-check.js';
export { SessionManager, type LlamaSession, type SessionSampling } from './session-manager.js';
export { defaultThreads } from './threads.js';
export { defaultCacheDir, isModelUri } from './model-source.js';
export type { ResolvedSampling, LoadInfo } from './worker/host-api.js';
