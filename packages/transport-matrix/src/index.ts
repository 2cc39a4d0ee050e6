// Public API of @confab/transport-matrix. The default export is the plugin the bot loads.
export { default } from './plugin.js';
export { MatrixTransport, type MatrixTransportOptions, MATRIX_PLATFORM } from './matrix-transport.js';
export {
  matrixTransportConfigSchema,
  matrixAccountSchema,
  matrixBotAccountSchema,
  type MatrixTransportConfig,
  type MatrixAccountConfig,
  type MatrixBotAccountConfig,
} from './config.js';
export { loadMatrixSdk, type LoadedMatrixSdk } from './load-matrix-sdk.js';
export { renderMarkdown, type RenderedText } from './markdown.js';
export { matrixRetryAfterMs } from './rate-limit.js';
export { registerMate, type RegisterMateOptions } from './register-mate.js';
export {
  registerWithSharedSecret,
  type SharedSecretRegistration,
  type RegisteredUser,
} from './shared-secret-registration.js';
export {
  identityKey,
  readIdentity,
  writeIdentity,
  BOT_ACCOUNT,
  type StoredMatrixIdentity,
} from './stored-identity.js';
