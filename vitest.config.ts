import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One fast-check seed for every property test (test/setup/properties.ts).
    setupFiles: ['test/setup/properties.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Chromium tests are heavy on a 2-core machine: keep files in parallel to two workers.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
