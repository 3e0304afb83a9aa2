// Vitest runs from the repository root over test/ (vite.config.ts is for the client build).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // Browser and multi-process tests start servers; keep files from starving each other on 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
