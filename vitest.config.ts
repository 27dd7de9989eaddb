import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Chromium tests are heavy on a 2-core machine: keep files in parallel to two workers.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
