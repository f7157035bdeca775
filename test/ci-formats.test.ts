import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/finding.js';
import { renderReport } from '../src/report/render-report.js';
import { TOOL_VERSION } from '../src/report/tool-version.js';
import { discoverScenarios, scenarioArgs, UPDATING_GOLDENS } from './helpers/fixtures.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { sarifValidator } from './helpers/sarif-schema.js';
import { tempDir } from './helpers/temp-dir.js';

/**
 * Every CI format from one run of the guide scenario (V006 not applied: RLS off on the provenance table, its
 * policy missing, two redundant indexes and a superseded policy still there). The run writes four formats
 * to files and prints GitHub annotations on stdout, as a workflow step would. Run from the repository root
 * so file paths are the ones a pull request shows. Golden files are in test/golden/ (UPDATE_GOLDENS=1 rewrites, see test/helpers/fixtures.ts).
 */
const ROOT = join(import.meta.dirname, '..');
const GOLDEN = join(import.meta.dirname, 'golden');
const update = UPDATING_GOLDENS;

let dir: string;
let result: CliResult;
let report: Report;
const file = (name: string) => readFileSync(join(dir, name), 'utf8');

beforeAll(async () => {
  dir = tempDir('verify-schema-formats-');
  writeFileSync(join(dir, 'summary.md'), 'previous step\n');
  const scenario = discoverScenarios().find((s) => s.name === 'guide-without-v006')!;
  result = await runCli(
    [
      ...scenarioArgs(scenario),
      '--format', 'json', '--output', join(dir, 'r.json'),
      '--format', 'sarif', '--output', join(dir, 'r.sarif'),
      '--format', 'junit', '--output', join(dir, 'r.xml'),
      '--format', 'markdown', '--output', join(dir, 'r.md'),
      '--format', 'github',
    ],
    { cwd: ROOT, env: { NO_COLOR: '1', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), PATH: process.env.PATH } },
  );
  report = JSON.parse(file('r.json')) as Report;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Engine version, durations and the package version change without the report changing. */
function normalize(text: string): string {
  return text
    .replaceAll(report.engine.version, '<engine version>')
    .replace(/, \d+(\.\d+)?s$/m, ', <duration>')
    .replace(/time="[\d.]+"/g, 'time="<duration>"')
    .replaceAll(`"version": "${TOOL_VERSION}"`, '"version": "<tool version>"');
}

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (update || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('CI formats on the guide scenario', () => {
  it('exits 1 and writes every format to its own --output, annotations to stdout', () => {
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    // 5 drift errors, the two indexes V006 drops reported as redundant (warnings) on the migrations side, and the
    // entity_id index the guide missed, redundant on both sides.
    expect(report.findings).toHaveLength(8);
    expect(report.findings.filter((f) => f.severity === 'warning').map((f) => `${f.code} ${f.object}`)).toEqual([
      'index-covered-by-constraint public.idx_entity_attribute_provenance_entity',
      'index-covered-by-constraint public.idx_integration_connections_workspace',
      'index-covered-by-constraint public.idx_integration_definitions_slug',
    ]);
  });

  it('github: annotates the exact reference and migration lines', () => {
    const lines = result.stdout.split('\n').filter((l) => l.startsWith('::'));
    // RLS: enabled by the reference's ALTER TABLE (line 21); the migrations' CREATE TABLE (V002 lines 7-18) never enables it.
    expect(lines).toContain(
      '::error file=db/schema/05_rls/entity_rls.sql,line=21,endLine=21,col=1,title=table-changed%3A public.entity_attribute_provenance::table public.entity_attribute_provenance differs: row level security on (reference) vs off (migrations)%0A(migrations: db/migration/V002__create_entity_attribute_provenance.sql:7)',
    );
    // One annotation per finding: no migration is new here (no base revision), so a two-sided finding is on the reference.
    expect(lines.some((l) => l.startsWith('::error file=db/migration/V002__create_entity_attribute_provenance.sql'))).toBe(false);
    expect(lines.some((l) => l.startsWith('::error file=db/schema/05_rls/entity_rls.sql,line=23,endLine=41,col=1,title=policy-missing'))).toBe(true);
    expect(lines.some((l) => l.startsWith('::error file=db/migration/V003__create_integration_definitions.sql,line=22,endLine=22,col=1,title=index-extra'))).toBe(true);
    expect(lines.some((l) => l.startsWith('::error file=db/migration/V004__create_integration_connections.sql,line=20,endLine=20,col=1,title=index-extra'))).toBe(true);
    expect(lines.some((l) => l.startsWith('::error file=db/migration/V004__create_integration_connections.sql,line=26,endLine=33,col=1,title=policy-extra'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('::error'))).toHaveLength(5);
    // Redundant indexes: one warning each, on the reference when it has the index, else on the migration line.
    expect(lines.filter((l) => l.startsWith('::warning file='))).toEqual([
      expect.stringMatching(/^::warning file=db\/schema\/02_indexes\/entity_indexes\.sql,line=11,endLine=12,col=1,title=index-covered-by-constraint/),
      expect.stringMatching(/^::warning file=db\/migration\/V004__create_integration_connections\.sql,line=20,endLine=20,col=1,title=index-covered-by-constraint/),
      expect.stringMatching(/^::warning file=db\/migration\/V003__create_integration_definitions\.sql,line=22,endLine=22,col=1,title=index-covered-by-constraint/),
    ]);
    golden('guide-without-v006.github.txt', normalize(result.stdout));
  });

  it('github: appends the Markdown summary to GITHUB_STEP_SUMMARY', () => {
    expect(file('summary.md')).toBe(`previous step\n${file('r.md')}`);
  });

  it('markdown: one table per kind with both sides', () => {
    golden('guide-without-v006.md', normalize(file('r.md')));
  });

  it('sarif: valid SARIF 2.1.0 with rules, locations and fingerprints', () => {
    const sarif = JSON.parse(file('r.sarif'));
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['index-covered-by-constraint', 'index-extra', 'policy-extra', 'policy-missing', 'table-changed']);
    expect(run.results).toHaveLength(8);
    for (const r of run.results) {
      expect(r.locations).toHaveLength(1);
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.partialFingerprints['verifySchemaFinding/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
    const rls = run.results.find((r: { ruleId: string }) => r.ruleId === 'table-changed');
    expect(rls.locations[0].physicalLocation.artifactLocation.uri).toBe('db/migration/V002__create_entity_attribute_provenance.sql');
    expect(rls.relatedLocations[0].physicalLocation.region.startLine).toBe(21);
    golden('guide-without-v006.sarif', normalize(file('r.sarif')));
  });

  it('sarif: a finding without a location still gets one (GitHub rejects results without)', () => {
    const deleted = { code: 'migration-deleted', severity: 'error', kind: 'migration', change: 'deleted', object: 'db/migration/V3__x.sql', message: 'gone', details: {} } as const;
    const sarif = JSON.parse(renderReport({ ...report, findings: [deleted] }, 'sarif'));
    expect(sarifValidator()(sarif)).toBe(true);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('db/migration/V3__x.sql');
    expect(sarif.runs[0].results[0].properties.locationIsFallback).toBe(true);
  });

  it('junit: one test case per object checked, failures for the findings', () => {
    const xml = file('r.xml');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(report.checked!.length);
    expect(report.checked!.length).toBeGreaterThan(100);
    expect(xml).toMatch(/<testsuites name="verify-schema" tests="\d+" failures="5" errors="0" skipped="0"/);
    expect(xml).toContain('<testcase classname="verify-schema.column" name="public.entities.source_url"/>');
    golden('guide-without-v006.junit.xml', normalize(xml));
  });
});
