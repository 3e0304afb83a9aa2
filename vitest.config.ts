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
    // Each worker loads the app's modules (fastify, exceljs, turf, socket.io: 5–12 s on these
    // machines) once, not once per file: that import was more than half of the suite's time.
    // The files share nothing else (each starts its own servers and Redis and closes them; the
    // sample county is loaded once and read only); vitest still restores mocks between files.
    // (npm test runs the browser files with --isolate until a run on a quiet machine shows them
    // green without: the one run so far, at load ~15, lost three map-timing tests.)
    isolate: false,
  },
});
