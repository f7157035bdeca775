import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../src/report/finding.js';
import { changedMigrations } from '../src/rules/history/changed-migrations.js';
import { LINT_RULES } from '../src/rules/lint/registry.js';
import { FIXTURES_DIR } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { TEST_SERVER_URL } from './helpers/server.js';
import { sarifValidator } from './helpers/sarif-schema.js';
import { tempDir } from './helpers/temp-dir.js';

/**
 * The lint beyond its golden fixtures (fixtures/lint-*, run on every engine): which migrations it lints
 * against a base revision, the check's lint step, that tracing changes nothing a migration does, SARIF, and
 * the cost line under VERIFY_SCHEMA_TRACE.
 */
const temp = tempDir('verify-schema-lint-');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: temp },
  });
}

const engines = [{ name: 'pglite', args: [] as string[] }, ...(TEST_SERVER_URL ? [{ name: 'server', args: ['--database-url', TEST_SERVER_URL] }] : [])];

const hazards = (report: Report) => report.findings.filter((f) => f.change === 'hazard').map((f) => `${f.code} ${f.migrationLocation?.file}:${f.migrationLocation?.line}`);
const drift = (report: Report) => report.findings.filter((f) => f.change !== 'hazard').map((f: Finding) => `${f.code} ${f.object}`);

describe('lint against a base revision', () => {
  let repo: string;
  beforeAll(() => {
    // fixtures/lint-constraints-and-data with V1 applied at the base and V2 new on the branch.
    repo = join(temp, 'repo');
    cpSync(join(FIXTURES_DIR, 'lint-constraints-and-data'), repo, { recursive: true });
    // A reference for the check: the baseline and both migrations, so the two sides agree.
    mkdirSync(join(repo, 'reference'));
    for (const f of ['baseline/001_tables.sql', 'migrations/V1__constraints_and_data.sql', 'migrations/V2__functions.sql']) cpSync(join(repo, f), join(repo, 'reference', f.replace('/', '_')));
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', 'baseline', 'reference', 'migrations/V1__constraints_and_data.sql', 'args.json');
    git(repo, 'commit', '-q', '-m', 'applied');
    git(repo, 'checkout', '-q', '-b', 'feature');
    git(repo, 'add', 'migrations/V2__functions.sql');
    git(repo, 'commit', '-q', '-m', 'new migration');
  });

  it('lints only the migrations new since the base; all of them without one', async () => {
    const inputs = ['--migrations', 'migrations', '--baseline', 'baseline', '--format', 'json', '--no-cache'];
    const since = JSON.parse((await runCli(['lint', ...inputs, '--base-ref', 'main'], { cwd: repo })).stdout) as Report;
    expect(since.lint).toEqual({ linted: ['migrations/V2__functions.sql'], baseRef: 'main', command: true });
    expect(hazards(since)).toEqual(['function-replaced migrations/V2__functions.sql:5']);
    // Ignore rules and severities apply to hazards like to any finding.
    writeFileSync(join(repo, 'quiet.json'), JSON.stringify({ ignore: [{ code: 'function-replaced', reason: 'ours' }], severity: { 'validation-under-lock': 'warning' } }));
    const all = await runCli(['lint', ...inputs, '--config', 'quiet.json'], { cwd: repo });
    const report = JSON.parse(all.stdout) as Report;
    expect(report.lint?.linted).toEqual(['migrations/V1__constraints_and_data.sql', 'migrations/V2__functions.sql']);
    expect(hazards(report)).toContain('validation-under-lock migrations/V1__constraints_and_data.sql:4');
    expect(hazards(report)).not.toContain('function-replaced migrations/V2__functions.sql:5');
    expect(report.summary.ignored).toBe(1);
    expect(report.warnings.join('\n')).toContain('no --base-ref, so every migration was linted');
    // With the errors lowered to warnings nothing fails the run (exit 0, as with drift).
    expect(report.summary.errors).toBe(0);
    expect(all.exitCode).toBe(0);
    expect(since.summary.errors).toBe(0);
  });

  // On every engine: the check's lint step must find the same on PGlite and on a server.
  it.each(engines)('is a step of the check when a base is known, and tracing changes nothing the migrations do ($name)', async ({ args }) => {
    const inputs = ['--reference', 'reference', '--migrations', 'migrations', '--baseline', 'baseline', '--format', 'json', '--no-cache', '--base-ref', 'main', ...args];
    const [linted, unlinted] = await Promise.all([runCli(inputs, { cwd: repo }), runCli([...inputs, '--no-lint'], { cwd: repo })]);
    const withLint = JSON.parse(linted.stdout) as Report;
    const withoutLint = JSON.parse(unlinted.stdout) as Report;
    expect(hazards(withLint)).toEqual(['function-replaced migrations/V2__functions.sql:5']);
    expect(hazards(withoutLint)).toEqual([]);
    // The same catalog either way: the traced migrations did exactly what the untraced ones did.
    expect(drift(withLint)).toEqual(drift(withoutLint));
    expect(withLint.checked).toEqual(withoutLint.checked);
  });
});

describe('migrations new or changed since a base', () => {
  it('are those not in the base revision and those whose content differs from it', async () => {
    const repo = join(temp, 'changes');
    mkdirSync(join(repo, 'm'), { recursive: true });
    const file = (n: string) => join(repo, 'm', n);
    for (const n of ['V1__a.sql', 'V2__b.sql', 'V3__c.sql']) writeFileSync(file(n), `-- ${n}\nSELECT 1;\n`);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    writeFileSync(file('V2__b.sql'), '-- edited after it was applied\nSELECT 2;\n');
    writeFileSync(file('V4__d.sql'), 'SELECT 4;\n'); // untracked
    const result = await changedMigrations(['V1__a.sql', 'V2__b.sql', 'V3__c.sql', 'V4__d.sql'].map(file), 'main');
    expect('changed' in result && [...result.changed].map((p) => p.slice(p.lastIndexOf('/') + 1))).toEqual(['V2__b.sql', 'V4__d.sql']);
    expect(await changedMigrations([file('V1__a.sql')], 'no-such-branch')).toEqual({ skipped: 'git does not know no-such-branch; fetch it first' });
  });
});

describe('lint of a migration that fails', () => {
  it('fails at the same statement as the check', async () => {
    const dir = join(FIXTURES_DIR, 'lint-failing-migration');
    // Side by side: a failed run cleans up only what it started (test/run-cleanup.test.ts).
    const [lint, check] = await Promise.all([
      runCli(['lint', '--migrations', 'migrations', '--no-cache'], { cwd: dir }),
      runCli(['--reference', 'migrations/V1__create.sql', '--migrations', 'migrations', '--no-cache'], { cwd: dir }),
    ]);
    expect(lint.exitCode).toBe(2);
    expect(check.exitCode).toBe(2);
    expect(lint.stderr).toContain('migrations/V2__fails.sql:4:28: migrations side failed');
    expect(lint.stderr).toBe(check.stderr);
  });
});

describe('lint report formats and tracing cost', () => {
  it('SARIF names every lint rule with its doc; VERIFY_SCHEMA_TRACE shows what tracing cost', () => {
    const dir = join(FIXTURES_DIR, 'lint-rls-across-migrations');
    const bin = join(FIXTURES_DIR, '..', 'bin', 'verify-schema.js');
    const run = spawnSync(process.execPath, [bin, 'lint', '--migrations', 'migrations', '--baseline', 'baseline', '--format', 'sarif', '--no-cache'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, VERIFY_SCHEMA_TRACE: '1', NO_COLOR: '1', GITHUB_ACTIONS: '' },
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/lint: \d+ trace queries on 3 files \(\d+ ms\)/);
    const sarif = JSON.parse(run.stdout);
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const rules = sarif.runs[0].tool.driver.rules as Array<{ id: string; properties: { doc?: string } }>;
    for (const r of LINT_RULES) expect(rules.find((x) => x.id === r.code)?.properties.doc).toBe(`docs/rules/${r.code}.md`);
    const results = sarif.runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
    expect(results.map((r) => `${r.ruleId} ${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`)).toEqual([
      'rls-without-policy migrations/V1__enable_rls.sql:7',
      'policy-without-rls migrations/V1__enable_rls.sql:10',
      'lock-timeout-missing migrations/V2__notes_policy.sql:1',
      'lock-timeout-missing migrations/V3__untraceable.sql:8',
    ]);
    // The file whose trace queries failed was applied again untraced: its finding is from the statement text.
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text).join('\n')).toContain(
      'migrations/V3__untraceable.sql was not traced (a trace query failed: permission denied for view pg_locks)',
    );
  });
});
