import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/finding.js';
import { discoverScenarios, normalizeText, scenarioArgs, toGolden, UPDATING_GOLDENS, type Expected } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { TEST_ENGINES, reportMissingServer } from './helpers/engines.js';
import { IN_CI, leftoversOf, SERVER_SKIP_NOTE, TEST_SERVER_URL } from './helpers/server.js';
import { tempDir } from './helpers/temp-dir.js';

/**
 * The golden suite: every folder under fixtures/ is run through the CLI, and its exit code, findings (with
 * messages and locations) and text report are compared with expected.json and expected.txt. Regenerate with
 * `UPDATE_GOLDENS=1 npx vitest run test/fixtures.test.ts` (see test/helpers/fixtures.ts) and review the diff.
 */

/**
 * Every scenario runs on every available engine against the same goldens, so PGlite (Postgres 18) and the
 * server (whatever version it runs) must report identically. Goldens are written from PGlite.
 */
reportMissingServer('golden scenarios');
if (!TEST_SERVER_URL && !IN_CI) process.stderr.write(`\n${SERVER_SKIP_NOTE}\n\n`);

const out = tempDir('verify-schema-goldens-');

for (const engine of TEST_ENGINES) describe(`golden scenarios (${engine.name})`, () => {
  // Scenarios are independent, on either engine: a run that fails cleans up only what it started, and a role
  // two runs on one server share is dropped by the last one out (see test/run-cleanup.test.ts).
  for (const scenario of discoverScenarios()) {
    const run = UPDATING_GOLDENS ? it : it.concurrent;
    run(scenario.name, async ({ expect }) => {
      const jsonPath = join(out, `${engine.name}-${scenario.name}.json`);
      // Run from the scenario's folder: no project config applies, and paths in messages are stable.
      // --no-cache: the golden suite checks real application every time (test/cache.test.ts checks the cache).
      const result = await runCli([...scenarioArgs(scenario), '--format', 'text', '--format', 'json', '--output', jsonPath, '--no-cache', ...engine.args], { cwd: scenario.dir });
      const report = result.exitCode === 2 ? undefined : (JSON.parse(readFileSync(jsonPath, 'utf8')) as Report);
      const untracked = report?.findings.filter((f) => f.code === 'migration-untracked').map((f) => f.object) ?? [];
      expect(untracked, `git add the scenario's files first: its goldens assume committed migrations`).toEqual([]);
      const text = normalizeText(result.exitCode === 2 ? result.stderr : result.stdout);
      if (UPDATING_GOLDENS && engine.name === 'pglite') {
        const previous = safeRead(scenario.expectedPath);
        const note = previous?.note ?? '';
        const next: Expected = report ? { note, exitCode: result.exitCode, findings: toGolden(report.findings) } : { note, exitCode: 2, error: previous?.error ?? firstLine(result.stderr) };
        writeFileSync(scenario.expectedPath, `${JSON.stringify(next, null, 2)}\n`);
        writeFileSync(scenario.expectedTextPath, text);
        return;
      }
      const expected = JSON.parse(readFileSync(scenario.expectedPath, 'utf8')) as Expected;
      expect(expected.note, 'expected.json needs a one-line "note": what this scenario must produce').toMatch(/\S/);
      expect(expected.note).not.toContain('\n');
      if (expected.exitCode === 2) {
        expect(result.stdout).toBe('');
        expect(result.stderr).toContain(expected.error);
        // Bad input gets one clear line (plus the source excerpt), never a stack trace.
        expect(result.stderr).not.toMatch(/\n\s+at /);
      } else {
        expect(result.stderr).toBe('');
        expect(toGolden(report!.findings)).toEqual(expected.findings);
      }
      expect(text).toBe(readFileSync(scenario.expectedTextPath, 'utf8'));
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
