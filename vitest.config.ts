import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The suites that take most of the suite's CPU, longest first. Vitest orders files by their last durations
 * when it has them, else by file size, which on a fresh clone starts the golden suite (a short file) last and
 * leaves one core idle at the end: about 13 s of the CI run.
 */
const HEAVY = ['test/fix.test.ts', 'test/fixtures.test.ts', 'test/cache.test.ts'];

class HeavyFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const at = HEAVY.indexOf(relative(spec.project.config.root, spec.moduleId).split('\\').join('/'));
      return at < 0 ? HEAVY.length : at;
    };
    const sorted = await super.sort(files);
    return sorted.map((spec, i) => ({ spec, i })).sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i).map(({ spec }) => spec);
  }
}

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
    sequence: { sequencer: HeavyFirst },
  },
});
