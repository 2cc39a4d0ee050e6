import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['reflect-metadata'],
    // Every test opens a real LMDB environment on disk, one spawns a second process.
    testTimeout: 20_000,
  },
});
