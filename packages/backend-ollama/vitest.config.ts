import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['reflect-metadata'],
    // Tests against a real Ollama start servers and load models on a machine shared with other
    // builds: bounded generously, never asserting on speed.
    testTimeout: 60_000,
  },
});
