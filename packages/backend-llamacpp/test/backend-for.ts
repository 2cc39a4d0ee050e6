import { createSilentLogger, EventBus } from '@confab/core';
import { llamaCppConfigSchema } from '../src/config.js';
import { LlamaCppBackend } from '../src/llamacpp-backend.js';

export const silentLogger = createSilentLogger();

/** A backend named `local` with these profiles, outside a bot (for backend-level tests). */
export function backendFor(profiles: Record<string, unknown>, events = new EventBus()): LlamaCppBackend {
  return new LlamaCppBackend(
    {
      name: 'local',
      kind: 'backend',
      specifier: '@confab/backend-llamacpp',
      configDir: '/',
      section: 'backends[0]',
    },
    llamaCppConfigSchema.parse({ profiles }),
    events,
    silentLogger,
  );
}
