import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/finding.js';
import { discoverScenarios, scenarioArgs, toGolden, type Expected } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { IN_CI, leftoversOf, SERVER_SKIP_NOTE, TEST_SERVER_URL } from './helpers/server.js';

/**
 * The golden suite: every folder under fixtures/ is run through the CLI and its exit code and findings are
 * compared with its expected.json. `UPDATE_GOLDEN=1 npm test` rewrites the golden files — review the diff
 * like code.
 */
const update = process.env.UPDATE_GOLDEN === '1';

/**
 * Every scenario runs on every available engine against the same expected.json, so the findings of PGlite
 * (Postgres 18) and of the server (whatever version it runs) must be identical. Goldens are written from PGlite.
 */
const engines: Array<{ name: string; args: string[] }> = [{ name: 'pglite', args: [] }];
if (TEST_SERVER_URL) engines.push({ name: 'server', args: ['--database-url', TEST_SERVER_URL] });
else if (IN_CI) {
  it('server engine is configured (required under CI=true)', () => {
    expect.fail('VERIFY_SCHEMA_TEST_DATABASE_URL is not set; under CI the golden suite must also run on a real Postgres (.ci/run sets it)');
  });
} else {
  process.stderr.write(`\n${SERVER_SKIP_NOTE}\n\n`);
  it.skip(`golden scenarios (server): ${SERVER_SKIP_NOTE}`, () => undefined);
}

for (const engine of engines) describe(`golden scenarios (${engine.name})`, () => {
  for (const scenario of discoverScenarios()) {
    it(scenario.name, async () => {
      // Run from the scenario's folder: no project config applies, and paths in messages are stable.
      // --no-cache: the golden suite checks real application every time (test/cache.test.ts checks the cache).
      const result = await runCli([...scenarioArgs(scenario), '--format', 'json', '--no-cache', ...engine.args], { cwd: scenario.dir });
      if (update && engine.name === 'pglite') {
        const previous = safeRead(scenario.expectedPath);
        const next: Expected = result.exitCode === 2 ? { exitCode: 2, error: previous?.error ?? firstLine(result.stderr) } : { exitCode: result.exitCode, findings: toGolden((JSON.parse(result.stdout) as Report).findings) };
        writeFileSync(scenario.expectedPath, `${JSON.stringify(next, null, 2)}\n`);
        return;
      }
      const expected = JSON.parse(readFileSync(scenario.expectedPath, 'utf8')) as Expected;
      if (expected.exitCode === 2) {
        expect(result.stdout).toBe('');
        expect(result.stderr).toContain(expected.error);
        // Bad input gets one clear line (plus the source excerpt), never a stack trace.
        expect(result.stderr).not.toMatch(/\n\s+at /);
      } else {
        expect(result.stderr).toBe('');
        const report = JSON.parse(result.stdout) as Report;
        expect(toGolden(report.findings)).toEqual(expected.findings);
      }
      expect(result.exitCode).toBe(expected.exitCode);
    });
  }
  if (engine.name === 'server') {
    afterAll(async () => {
      // Every run of this process, passing or failing, removed its scratch databases and temporary roles.
      expect(await leftoversOf(process.pid)).toEqual({ databases: [], roles: [] });
    });
  }
});

function safeRead(path: string): Expected | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Expected;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].replace(/^verify-schema: error: /, '');
}
