import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each scenario starts real Postgres engines; a cold first start initialises the cached data directory.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files share their worker process: each process then loads the parsers and compiles PGlite's
    // WebAssembly once, not once per file (about a fifth of the suite's CPU). A file that changes process-wide
    // state puts it back (test/history.test.ts restores PATH); helpers register nothing per file.
    isolate: false,
    // Two test files at a time, whatever the cores: much of a file's time is waiting (a server's CREATE
    // DATABASE, a spawned CLI, a worker thread starting), which the other file fills.
    maxWorkers: 2,
    // Concurrent golden scenarios each start two engines: a few at a time keeps memory bounded.
    maxConcurrency: 3,
  },
});
