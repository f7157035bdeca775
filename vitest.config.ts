import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each scenario starts real Postgres engines; a cold first start initialises the cached data directory.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two test files at a time, whatever the cores: much of a file's time is waiting (a server's CREATE
    // DATABASE, a spawned CLI, a worker thread starting), which the other file fills.
    maxWorkers: 2,
    // Concurrent golden scenarios each start two engines: a few at a time keeps memory bounded.
    maxConcurrency: 3,
  },
});
