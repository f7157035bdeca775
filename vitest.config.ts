import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each scenario starts real Postgres engines; a cold first start initialises the cached data directory.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Concurrent golden scenarios each start two engines: a few at a time keeps memory bounded.
    maxConcurrency: 3,
  },
});
