import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMigrationHistory, type HistoryCheckOptions } from '../src/rules/history/check-history.js';
import { listMigrationSources } from '../src/inputs/resolve-inputs.js';
import { flywayChecksum } from '../src/rules/history/flyway-checksum.js';
import type { Finding, Report } from '../src/report/finding.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const temp = tempDir('verify-schema-history-');

/** The check on the migrations paths as the pipeline resolves them. */
async function checkHistory(options: Omit<HistoryCheckOptions, 'sources'> & { migrations: string[] }) {
  return checkMigrationHistory({ ...options, sources: await listMigrationSources(options.migrations, options.cwd) });
}
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: temp },
  });
}

/** A repository whose `main` has V1…V5 applied; returns its path. */
function baseRepo(name: string): string {
  const repo = join(temp, name);
  mkdirSync(join(repo, 'db', 'migration'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  for (let v = 1; v <= 5; v++) writeFileSync(join(repo, 'db', 'migration', `V${v}__step_${v}.sql`), `-- step ${v}\nCREATE TABLE t${v} (id int);\n`);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'applied');
  git(repo, 'checkout', '-q', '-b', 'feature');
  return repo;
}

const codes = (findings: Finding[]) => findings.map((f) => `${f.code} ${f.object}${f.severity === 'error' ? '' : ` (${f.severity})`}`).sort();

describe('Flyway checksum', () => {
  it('is CRC-32 as a signed int, over the lines without terminators or a BOM', () => {
    expect(flywayChecksum('123456789')).toBe(-873187034); // the CRC-32 check value 0xCBF43926
    expect(flywayChecksum('1234\n56789\n')).toBe(-873187034);
    expect(flywayChecksum('\uFEFF1234\r\n56789\r\n')).toBe(-873187034);
    expect(flywayChecksum('1234\r5678\n9')).toBe(-873187034);
    expect(flywayChecksum('1234 56789')).not.toBe(-873187034);
    expect(flywayChecksum(Buffer.from('SELECT 1;\n'))).toBe(flywayChecksum('SELECT 1;'));
  });
});

describe('migration history against a base revision', () => {
  let repo: string;
  let findings: Finding[];
  let warnings: string[];

  beforeAll(async () => {
    repo = baseRepo('mistakes');
    const m = (n: string) => join(repo, 'db', 'migration', n);
    // Not an edit: line endings and a BOM only (Flyway's checksum ignores both).
    writeFileSync(m('V1__step_1.sql'), '\uFEFF-- step 1\r\nCREATE TABLE t1 (id int);\r\n');
    // An edit of an applied migration, on line 2.
    writeFileSync(m('V2__step_2.sql'), '-- step 2\nCREATE TABLE t2 (id bigint);\n');
    unlinkSync(m('V3__step_3.sql'));
    renameSync(m('V4__step_4.sql'), m('V4__fourth_step.sql'));
    // New, committed: below the newest applied version (5).
    writeFileSync(m('V4_5__late.sql'), 'SELECT 1;\n');
    // New, above 5, fine by itself.
    writeFileSync(m('V6__next.sql'), 'SELECT 1;\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'feature');
    // Uncommitted on disk, like the guide's V006: a duplicate version and a name Flyway never runs.
    writeFileSync(m('V06__also_next.sql'), 'SELECT 2;\n');
    writeFileSync(m('V7_single_underscore.sql'), 'SELECT 3;\n');
    const result = await checkHistory({ migrations: ['db/migration'], cwd: repo, baseRef: 'main' });
    findings = result.findings;
    warnings = result.warnings;
  });

  it('catches each mistake once, and nothing else', () => {
    expect(warnings).toEqual([]);
    expect(codes(findings)).toEqual([
      'migration-deleted db/migration/V3__step_3.sql',
      'migration-duplicate-version db/migration/V6__next.sql',
      'migration-edited db/migration/V2__step_2.sql',
      'migration-misnamed db/migration/V7_single_underscore.sql (warning)',
      'migration-out-of-order db/migration/V4_5__late.sql',
      'migration-renamed db/migration/V4__fourth_step.sql',
      'migration-untracked db/migration/V06__also_next.sql (warning)',
      'migration-untracked db/migration/V7_single_underscore.sql (warning)',
    ]);
  });

  it('reports old and new Flyway checksums and the first edited line', () => {
    const edited = findings.find((f) => f.code === 'migration-edited')!;
    expect(edited.details).toEqual({
      baseRef: 'main',
      checksum: { base: flywayChecksum('-- step 2\nCREATE TABLE t2 (id int);\n'), current: flywayChecksum('-- step 2\nCREATE TABLE t2 (id bigint);\n') },
      firstChangedLine: 2,
    });
    expect(edited.migrationLocation).toEqual({ file: 'db/migration/V2__step_2.sql', line: 2, column: 1, endLine: 2 });
    expect(edited.message).toContain(String(edited.details.checksum && (edited.details.checksum as { base: number }).base));
  });

  it('names the other side of renames, duplicates and out-of-order versions', () => {
    expect(findings.find((f) => f.code === 'migration-renamed')!.details).toMatchObject({ from: 'db/migration/V4__step_4.sql', to: 'db/migration/V4__fourth_step.sql' });
    expect(findings.find((f) => f.code === 'migration-out-of-order')!.details).toMatchObject({ version: '4.5', newestAtBase: '5' });
    expect(findings.find((f) => f.code === 'migration-duplicate-version')!.details).toMatchObject({ version: '6', others: ['db/migration/V06__also_next.sql'] });
    expect(findings.find((f) => f.code === 'migration-deleted')!.migrationLocation).toBeUndefined();
  });

  it('makes an untracked migration an error in CI', async () => {
    const ci = await checkHistory({ migrations: ['db/migration'], cwd: repo, baseRef: 'main', ci: true });
    expect(ci.findings.filter((f) => f.code === 'migration-untracked').map((f) => f.severity)).toEqual(['error', 'error']);
  });

  it('without a base revision: the checks that need none still run, and a warning says what was skipped', async () => {
    const result = await checkHistory({ migrations: ['db/migration'], cwd: repo });
    expect(codes(result.findings)).toEqual([
      'migration-duplicate-version db/migration/V6__next.sql',
      'migration-misnamed db/migration/V7_single_underscore.sql (warning)',
      'migration-untracked db/migration/V06__also_next.sql (warning)',
      'migration-untracked db/migration/V7_single_underscore.sql (warning)',
    ]);
    expect(result.warnings).toEqual([expect.stringMatching(/against a base revision skipped: pass --base-ref REV/)]);
  });

  it('with an unknown base revision: a warning that says to fetch it, no crash', async () => {
    const result = await checkHistory({ migrations: ['db/migration'], cwd: repo, baseRef: 'origin/main' });
    expect(result.warnings).toEqual(['migration-history checks against origin/main skipped: git does not know that revision; fetch it first (e.g. git fetch origin main)']);
    expect(result.findings.some((f) => f.code === 'migration-edited')).toBe(false);
  });
});

describe('migration history without git', () => {
  it('outside a repository: a warning, name and version checks only', async () => {
    const folder = join(temp, 'no-repo', 'migration');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'V1__a.sql'), 'SELECT 1;\n');
    writeFileSync(join(folder, 'V1.0__b.sql'), 'SELECT 1;\n');
    const result = await checkHistory({ migrations: [folder], cwd: join(temp, 'no-repo'), baseRef: 'main' });
    expect(codes(result.findings)).toEqual(['migration-duplicate-version migration/V1__a.sql']);
    expect(result.warnings).toEqual(['migration-history checks skipped: migration is not inside a git repository']);
  });

  it('when git is not installed: a warning, no crash', async () => {
    const repo = baseRepo('no-git-binary');
    const path = process.env.PATH;
    process.env.PATH = join(temp, 'empty-bin');
    try {
      const result = await checkHistory({ migrations: ['db/migration'], cwd: repo, baseRef: 'main' });
      expect(result.warnings).toEqual(['migration-history checks skipped: git is not installed']);
      expect(result.findings).toEqual([]);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('history checks in the pipeline (real Postgres)', () => {
  it('an edited applied migration fails the run in CI, with its line; an ignore rule drops a drift finding', async () => {
    const repo = baseRepo('pipeline');
    mkdirSync(join(repo, 'schema'));
    writeFileSync(join(repo, 'schema', 'tables.sql'), [1, 2, 3, 4, 5].map((v) => `CREATE TABLE t${v} (id ${v === 2 ? 'bigint' : 'int'});`).join('\n') + '\nCREATE TABLE legacy_x (id int);\n');
    writeFileSync(join(repo, 'db', 'migration', 'V2__step_2.sql'), '-- step 2\nCREATE TABLE t2 (id bigint);\n');
    writeFileSync(join(repo, 'verify-schema.config.json'), JSON.stringify({ reference: ['schema'], migrations: ['db/migration'], ignore: [{ object: 'public.legacy_*', reason: 'dropped next release' }] }));
    const result = await runCli(['--format', 'json', '--base-ref', 'main'], { cwd: repo, env: { NO_COLOR: '1', CI: 'true', PATH: process.env.PATH } });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    // The schema matches (t2 is bigint on both sides); the only findings are about history.
    expect(codes(report.findings)).toEqual(['migration-edited db/migration/V2__step_2.sql']);
    expect(report.findings[0].migrationLocation).toMatchObject({ file: 'db/migration/V2__step_2.sql', line: 2 });
    expect(report.summary.ignored).toBe(1);
    expect(report.checked).toContainEqual({ kind: 'table', object: 'public.legacy_x', ignored: true });
    expect(report.checked!.filter((c) => c.kind === 'migration')).toHaveLength(5);
    expect(report.warnings).toEqual([]);
    expect(readFileSync(join(repo, 'db', 'migration', 'V2__step_2.sql'), 'utf8')).toContain('bigint'); // never modified
  });
});
