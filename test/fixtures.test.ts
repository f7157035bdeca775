import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/finding.js';
import { discoverScenarios, scenarioArgs, toGolden, type Expected } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';

/**
 * The golden suite: every folder under fixtures/ is run through the CLI and its exit code and findings are
 * compared with its expected.json. `UPDATE_GOLDEN=1 npm test` rewrites the golden files — review the diff
 * like code.
 */
const update = process.env.UPDATE_GOLDEN === '1';

describe('golden scenarios (pglite)', () => {
  for (const scenario of discoverScenarios()) {
    it(scenario.name, async () => {
      // Run from the scenario's folder: no project config applies, and paths in messages are stable.
      // --no-cache: the golden suite checks real application every time (test/cache.test.ts checks the cache).
      const result = await runCli([...scenarioArgs(scenario), '--format', 'json', '--no-cache'], { cwd: scenario.dir });
      if (update) {
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
