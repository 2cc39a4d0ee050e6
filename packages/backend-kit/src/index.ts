// Public API of @confab/backend-kit: what backends for remote model servers share. Each line
// re-exports one concept's file.

export { ServerHealth, type ServerHealthOptions } from './server-health.js';
export { serverRetrySchema, type ServerRetryConfig } from './server-retry-schema.js';
export { streamFromServer, type ServerChunk, type ServerStreamOptions } from './server-stream.js';
export { describeConnectionError, isConnectionError } from './connection-error.js';
export { errorKindForStatus } from './http-status.js';
export { hasUrlCredentials } from './url-redaction.js';
export { unsupportedSamplingWarnings } from './sampling-support.js';
