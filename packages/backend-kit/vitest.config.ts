import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // @confab/core loads tsyringe, which needs the Reflect polyfill first.
    setupFiles: ['reflect-metadata'],
  },
});
