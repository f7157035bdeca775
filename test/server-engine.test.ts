import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkServerVersion } from '../src/engine/server-connection.js';
import { EngineError } from '../src/errors.js';
import { FIXTURES_DIR, toGolden, type Expected } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { leftoversOf, SERVER_SKIP_NOTE, serverQuery, TEST_SERVER_URL, testUrlWith } from './helpers/server.js';
import type { Report } from '../src/report/finding.js';
import { tempDir } from './helpers/temp-dir.js';

const ROOT = join(import.meta.dirname, '..');
const fixture = (name: string) => ['--reference', join(FIXTURES_DIR, name, 'reference'), '--migrations', join(FIXTURES_DIR, name, 'migrations')];
/** Run from a folder without a config file: the repository's own verify-schema.config.json must not apply. */
const run = (args: string[]) => runCli(args, { cwd: FIXTURES_DIR });

/** A loopback port with nothing listening: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A scenario folder written for one test (inputs that only make sense against a server). */
function scenario(files: Record<string, string>): string {
  const dir = tempDir('verify-schema-test-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function expectOneLineError(result: { exitCode: number; stdout: string; stderr: string }, text: string): void {
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(text);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

describe('server engine errors that need no server', () => {
  it('an unreachable server is one line, exit 2, without the password', async () => {
    const port = await closedPort();
    const result = await run([...fixture('column-drift'), '--database-url', `postgres://someone:hunter2-secret@127.0.0.1:${port}/postgres`]);
    expectOneLineError(result, `could not connect to the Postgres server at 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(result.stderr).toContain('postgres://someone:***@127.0.0.1');
    expect(result.stderr).not.toContain('hunter2-secret');
  });

  it('a URL that is not a postgres URL is rejected before connecting', async () => {
    expectOneLineError(await run([...fixture('column-drift'), '--database-url', 'mysql://root:pw@localhost/db']), '--database-url must be a postgres:// or postgresql:// URL');
  });

  it('servers older than 13 are refused with the version they run', () => {
    expect(() => checkServerVersion({ version: '12.17', versionNum: 120017 }, 'db:5432')).toThrow(EngineError);
    expect(() => checkServerVersion({ version: '12.17', versionNum: 120017 }, 'db:5432')).toThrow('the Postgres server db:5432 runs version 12.17, which verify-schema does not support; use PostgreSQL 13 or newer');
    expect(() => checkServerVersion({ version: '13.0', versionNum: 130000 }, 'db:5432')).not.toThrow();
    expect(() => checkServerVersion({ version: '18.1', versionNum: 180001 }, 'db:5432')).not.toThrow();
  });
});

describe.skipIf(!TEST_SERVER_URL)(`server engine on a real server${TEST_SERVER_URL ? '' : ` (${SERVER_SKIP_NOTE})`}`, () => {
  it('a wrong password is one line that never shows the password, not even with --debug', async () => {
    const url = testUrlWith({ password: 'wrong-Pa55word' });
    for (const extra of [[], ['--debug']]) {
      const result = await run([...fixture('column-drift'), '--database-url', url, ...extra]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('password authentication failed for role "');
      expect(result.stderr).not.toContain('wrong-Pa55word');
      if (extra.length === 0) expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a role without CREATEDB, then without CREATEROLE, gets a line that names the privilege; nothing is left behind', async () => {
    const role = `verify_schema_test_limited_${process.pid}`;
    await serverQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'limited-pw-9'`);
    try {
      const url = testUrlWith({ user: role, password: 'limited-pw-9' });
      // --no-cache: catalogs cached by earlier tests would need no database at all.
      expectOneLineError(await run([...fixture('column-drift'), '--no-cache', '--database-url', url]), `role "${role}" may not create databases on 127.0.0.1:5432 (it needs CREATEDB)`);
      await serverQuery(`ALTER ROLE ${role} CREATEDB`);
      // SQL that needs a role made for the run: the scratch databases are created, then dropped again. The role is
      // this test's own: a golden scenario running beside it on the same server may have made a shared one.
      const reader = `verify_schema_test_limited_reader_${process.pid}`;
      const sql = `CREATE TABLE t (id int);\nGRANT SELECT ON t TO ${reader};\n`;
      const dir = scenario({ 'reference/schema.sql': sql, 'migrations/V1__t.sql': sql });
      expectOneLineError(await run(['--reference', join(dir, 'reference'), '--migrations', join(dir, 'migrations'), '--no-cache', '--database-url', url]), `may not create the roles the SQL uses (${reader}) on 127.0.0.1:5432 (it needs CREATEROLE)`);
      expect(await leftoversOf(process.pid)).toEqual({ databases: [], roles: [] });
    } finally {
      await serverQuery(`DROP ROLE ${role}`);
    }
  });

  it('a failing migration still drops both scratch databases and the roles made for the run', async () => {
    const dir = scenario({
      'reference/schema.sql': 'CREATE TABLE t (id int);\nGRANT SELECT ON t TO verify_schema_test_reader;\n',
      'migrations/V1__t.sql': 'CREATE TABLE t (id int);\nGRANT SELECT ON t TO verify_schema_test_reader;\nSELECT 1 / 0;\n',
    });
    const result = await run(['--reference', join(dir, 'reference'), '--migrations', join(dir, 'migrations'), '--database-url', TEST_SERVER_URL!]);
    expectOneLineError({ ...result, stderr: result.stderr.split('\n')[0] }, 'V1__t.sql:3:1: migrations side failed: ERROR 22012: division by zero');
    expect(await leftoversOf(process.pid)).toEqual({ databases: [], roles: [] });
    expect(await serverQuery(`SELECT 1 FROM pg_roles WHERE rolname = 'verify_schema_test_reader'`)).toEqual([]);
  });

  it('an existing role is used as it is, never altered or dropped, even when the SQL creates it', async () => {
    const role = `verify_schema_test_existing_${process.pid}`;
    await serverQuery(`CREATE ROLE ${role} NOLOGIN CONNECTION LIMIT 3`);
    await serverQuery(`COMMENT ON ROLE ${role} IS 'belongs to the cluster'`);
    try {
      const sql = `CREATE ROLE ${role} LOGIN;\nCREATE TABLE t (id int);\nGRANT SELECT ON t TO ${role};\n`;
      const dir = scenario({ 'reference/schema.sql': sql, 'migrations/V1__t.sql': sql });
      const result = await run(['--reference', join(dir, 'reference'), '--migrations', join(dir, 'migrations'), '--database-url', TEST_SERVER_URL!]);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      const [after] = await serverQuery(`SELECT rolcanlogin, rolconnlimit, shobj_description(oid, 'pg_authid') AS note FROM pg_roles WHERE rolname = $1`, [role]);
      expect(after).toEqual({ rolcanlogin: false, rolconnlimit: 3, note: 'belongs to the cluster' });
    } finally {
      await serverQuery(`DROP ROLE ${role}`);
    }
  });

  it('--keep-databases keeps the scratch databases and prints their names', async () => {
    const result = await run([...fixture('column-drift'), '--database-url', TEST_SERVER_URL!, '--keep-databases']);
    const names = [...result.stderr.matchAll(/verify_schema_[0-9a-f]{12}/g)].map((m) => m[0]);
    try {
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/^verify-schema: kept scratch databases on 127\.0\.0\.1:5432: verify_schema_\w+ \((reference|migrations)\), verify_schema_\w+ \((reference|migrations)\)\n$/);
      expect(new Set((await leftoversOf(process.pid)).databases)).toEqual(new Set(names));
      const kept = await serverQuery<{ n: string }>(`SELECT count(*)::int AS n FROM pg_class`, [], names[0]);
      expect(Number(kept[0].n)).toBeGreaterThan(0);
    } finally {
      for (const name of names) await serverQuery(`DROP DATABASE IF EXISTS ${name}`);
    }
  });

  it('a connection broken mid-run is one line, exit 2, and clean-up still drops everything', async () => {
    const dir = scenario({ 'reference/schema.sql': 'CREATE TABLE t (id int);\n', 'migrations/V1__t.sql': 'CREATE TABLE t (id int);\nSELECT pg_sleep(30);\n' });
    const pending = run(['--reference', join(dir, 'reference'), '--migrations', join(dir, 'migrations'), '--database-url', TEST_SERVER_URL!]);
    let killed = 0;
    for (let i = 0; i < 100 && killed === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const rows = await serverQuery<{ ok: boolean }>(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname LIKE 'verify\\_schema\\_%' AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()`);
      killed = rows.length;
    }
    expect(killed).toBe(1);
    const result = await pending;
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('lost the connection to the Postgres server 127.0.0.1:5432 (database verify_schema_');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await leftoversOf(process.pid)).toEqual({ databases: [], roles: [] });
  });

  it('Ctrl-C (SIGINT) mid-run exits 130 and leaves no scratch database or role behind', async () => {
    // A name no other test (or earlier, killed run) can have created, so the role is certainly this run's.
    const sigintRole = `verify_schema_test_sigint_${process.pid}_${Date.now() % 100000}`;
    const dir = scenario({
      'reference/schema.sql': `CREATE TABLE t (id int);\nGRANT SELECT ON t TO ${sigintRole};\n`,
      'migrations/V1__t.sql': `CREATE TABLE t (id int);\nGRANT SELECT ON t TO ${sigintRole};\nSELECT pg_sleep(60);\n`,
    });
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'verify-schema.js'), '--reference', join(dir, 'reference'), '--migrations', join(dir, 'migrations')], {
      env: { ...process.env, VERIFY_SCHEMA_DATABASE_URL: TEST_SERVER_URL },
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await interrupt();
    } finally {
      child.kill('SIGKILL');
    }
    async function interrupt() {
    let sleeping = false;
    for (let i = 0; i < 150 && !sleeping; i++) {
      await new Promise((r) => setTimeout(r, 100));
      sleeping = (await serverQuery(`SELECT 1 FROM pg_stat_activity WHERE datname LIKE 'verify\\_schema\\_%' AND query LIKE '%pg_sleep(60)%'`)).length > 0;
    }
    expect(sleeping).toBe(true);
    // The reference side may already be done and its database dropped; the migrations side's is in use.
    expect((await leftoversOf(child.pid!)).databases.length).toBeGreaterThanOrEqual(1);
    // The run holds its role (leftoversOf leaves out a role a run holds): read the marks directly.
    const marked = await serverQuery<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE shobj_description(oid, 'pg_authid') LIKE $1`, [`%pid ${child.pid} %`]);
    expect(marked.map((r) => r.rolname)).toEqual([sigintRole]);
    const started = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stderr).toContain('SIGINT received, removing scratch databases');
    // The running statement is cancelled, never queued behind in the driver (deprecated, refused by pg 9).
    expect(stderr).not.toContain('DeprecationWarning');
    expect(await serverQuery(`SELECT datname FROM pg_database WHERE datname LIKE 'verify\\_schema\\_%' AND shobj_description(oid, 'pg_database') LIKE $1`, [`%pid ${child.pid} %`])).toEqual([]);
    expect(await serverQuery(`SELECT rolname FROM pg_roles WHERE rolname = $1`, [sigintRole])).toEqual([]);
    }
  });
});

describe.skipIf(!TEST_SERVER_URL)(`--live${TEST_SERVER_URL ? '' : ` (${SERVER_SKIP_NOTE})`}`, () => {
  /** A database built by the test, with the project's tables in public and unrelated ones in another schema. */
  async function withLiveDatabase(sql: string, check: (url: string, fingerprint: () => Promise<unknown>) => Promise<void>): Promise<void> {
    const name = `live_test_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
    await serverQuery(`CREATE DATABASE ${name}`);
    try {
      await serverQuery(`${sql}\nCREATE SCHEMA billing; CREATE TABLE billing.invoices (id int PRIMARY KEY, total numeric);`, [], name);
      const fingerprint = async () => ({
        objects: await serverQuery(`SELECT c.relname, c.relkind, n.nspname, c.relacl::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ORDER BY 1, 3`, [], name),
        // Other verify-schema runs (other test files, other processes) may create and drop their own
        // databases and roles on the shared server meanwhile: only this process's count.
        databases: await serverQuery(`SELECT datname FROM pg_database WHERE datname NOT LIKE 'verify\\_schema\\_%' AND datname NOT LIKE 'live\\_test\\_%' OR shobj_description(oid, 'pg_database') LIKE $1 OR datname LIKE $2 ORDER BY 1`, [`%pid ${process.pid} %`, `live_test_${process.pid}_%`]),
        roles: await serverQuery(
          `SELECT rolname FROM pg_roles WHERE coalesce(shobj_description(oid, 'pg_authid'), '') NOT LIKE 'verify-schema scratch role%' AND rolname !~ '^(vs|verify_schema)_test_' OR shobj_description(oid, 'pg_authid') LIKE $1 ORDER BY 1`,
          [`%pid ${process.pid} %`],
        ),
      });
      await check(testUrlWith({ database: name }), fingerprint);
    } finally {
      await serverQuery(`DROP DATABASE ${name} WITH (FORCE)`);
    }
  }
  const reference = join(FIXTURES_DIR, 'column-drift', 'reference');
  const migrationSql = () => ['V1__accounts.sql', 'V2__nickname.sql'].map((f) => readFileSync(join(FIXTURES_DIR, 'column-drift', 'migrations', f), 'utf8')).join('\n');

  it('reports the drift of a live database read-only, in the usual format, ignoring other schemas', async () => {
    await withLiveDatabase(migrationSql(), async (url, fingerprint) => {
      const before = await fingerprint();
      const result = await run(['--reference', reference, '--live', url, '--format', 'json']);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(1);
      const report = JSON.parse(result.stdout) as Report;
      // The same drift the migrations of this fixture produce, found in a database instead.
      const expected = JSON.parse(readFileSync(join(FIXTURES_DIR, 'column-drift', 'expected.json'), 'utf8')) as Expected;
      const identity = (f: { code: string; object: string; severity: string }) => `${f.code} ${f.object} ${f.severity}`;
      expect(toGolden(report.findings).map(identity)).toEqual(expected.findings!.map(identity));
      expect(report.findings.every((f) => !f.object.startsWith('billing.'))).toBe(true);
      expect(report.inputs.live).toBe(url.replace(/:[^:@/]*@/, ':***@'));
      expect(report.findings.find((f) => f.change === 'extra')?.message).toBe('column public.accounts.legacy_flag is in the live database but not in the reference');
      expect(await fingerprint()).toEqual(before);
    });
  });

  it('calls the other side "live" in every format, and locates every finding in the reference', async () => {
    // column-drift's migrations plus two indexes the reference lacks, one a duplicate of the other.
    const sql = `${migrationSql()}\nCREATE INDEX accounts_email_a ON accounts (email);\nCREATE INDEX accounts_email_b ON accounts (email);`;
    await withLiveDatabase(sql, async (url) => {
      const dir = tempDir('verify-schema-live-');
      const file = (name: string) => readFileSync(join(dir, name), 'utf8');
      const result = await runCli(
        ['--reference', reference, '--live', url, '--format', 'json', '--output', join(dir, 'r.json'), '--format', 'sarif', '--output', join(dir, 'r.sarif'), '--format', 'markdown', '--output', join(dir, 'r.md'), '--format', 'github'],
        { cwd: FIXTURES_DIR, env: { NO_COLOR: '1', PATH: process.env.PATH } },
      );
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(1);
      const report = JSON.parse(file('r.json')) as Report;
      expect(report.sides).toEqual(['reference', 'live']);
      const referenceFile = 'column-drift/reference/tables.sql';
      for (const f of report.findings) {
        // Never the migrations' words or keys; every finding points into the reference (no live source exists).
        expect(f.message).not.toContain('migrations');
        expect(Object.keys(f.details)).not.toContain('migrations');
        expect(f.location?.file, f.code).toBe(referenceFile);
        expect(f.migrationLocation).toBeUndefined();
      }
      const byObject = (object: string, code: string) => report.findings.find((f) => f.object === object && f.code === code)!;
      expect(byObject('public.accounts.email', 'column-changed').details).toEqual({ type: { reference: 'character varying(255)', live: 'character varying(320)' } });
      expect(byObject('public.accounts.email', 'column-changed').location?.line).toBe(3);
      // An object only the live database has points at its table's statement: where the reference would gain it.
      expect(byObject('public.accounts.legacy_flag', 'column-extra')).toMatchObject({ details: { live: { type: 'boolean' } }, location: { line: 1 } });
      const redundant = byObject('public.accounts_email_b', 'index-duplicate');
      expect(redundant.message).toContain('(found on the live database)');
      expect(redundant.details.sides).toEqual(['live']);

      const text = result.stdout.split('\n').filter((l) => !l.startsWith('::')).join('\n');
      expect(text).not.toContain('migrations');
      expect(text).toContain('type: character varying(255) (reference) → character varying(320) (live)');
      expect(text).toContain('column legacy_flag extra (in the live database, not in the reference) [column-extra]');
      const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::'));
      expect(annotations).toHaveLength(report.findings.length);
      for (const a of annotations) expect(a).toMatch(/^::(error|warning) file=column-drift\/reference\/tables\.sql,line=\d+,/);
      const markdown = file('r.md');
      expect(markdown).toContain('| | Object | Change | Reference | Live |');
      expect(markdown).toMatch(/^Reference \(1 files\) vs live database postgres:/m);
      expect(markdown).not.toContain('migrations');
      const sarif = JSON.parse(file('r.sarif'));
      for (const r of sarif.runs[0].results) {
        expect(r.properties.locationIsFallback).toBeUndefined();
        expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe(referenceFile);
      }
    });
  });

  it('a live database that matches the reference passes; a scratch server equal to the live one is refused', async () => {
    await withLiveDatabase(readFileSync(join(reference, 'tables.sql'), 'utf8'), async (url) => {
      const clean = await run(['--reference', reference, '--live', url]);
      expect(clean.stderr).toBe('');
      expect(clean.stdout).toMatch(/^✓ no drift: reference \(1 file\) vs live database postgres(?:ql)?:\/\/[^:]+:\*\*\*@127\.0\.0\.1:5432\/live_test_/);
      expect(clean.exitCode).toBe(0);
      expectOneLineError(await run(['--reference', reference, '--live', url, '--database-url', TEST_SERVER_URL!]), '--database-url and --live name the same server (127.0.0.1:5432)');
    });
  });

  it('redundant-indexes --live lists what a running database could drop, with size and scans, read only', async () => {
    const sql = `CREATE TABLE t (a int, b int, UNIQUE (a, b));
      CREATE INDEX t_a ON t (a);
      CREATE INDEX t_b ON t (b);
      CREATE INDEX t_b_again ON t (b);
      CREATE INDEX t_b_desc ON t (b DESC);
      INSERT INTO t SELECT g, g FROM generate_series(1, 2000) g;`;
    await withLiveDatabase(sql, async (url, fingerprint) => {
      const before = await fingerprint();
      const result = await run(['redundant-indexes', '--live', url, '--format', 'json']);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      const report = JSON.parse(result.stdout) as Report;
      expect(report.findings.map((f) => `${f.code} ${f.object} ${(f.details.sides as string[]).join(',')}`)).toEqual([
        'index-covered-by-constraint public.t_a live',
        'index-duplicate public.t_b_again live',
      ]);
      for (const f of report.findings) {
        expect(f.details.sizeBytes).toBeGreaterThan(8192);
        expect(typeof f.details.scans).toBe('number');
      }
      // The config's ignore rules and severities apply to live reports too.
      const config = join(scenario({ 'verify-schema.config.json': JSON.stringify({ ignore: [{ code: 'index-duplicate' }], severity: { 'index-covered-by-constraint': 'error' } }) }), 'verify-schema.config.json');
      const configured = await run(['redundant-indexes', '--live', url, '--format', 'json', '--config', config]);
      const configuredReport = JSON.parse(configured.stdout) as Report;
      expect(configuredReport.findings.map((f) => `${f.code} ${f.severity}`)).toEqual(['index-covered-by-constraint error']);
      expect(configuredReport.summary.ignored).toBe(1);
      expect(configured.exitCode).toBe(1);
      const text = await run(['redundant-indexes', '--live', url]);
      expect(text.stdout).toMatch(/size \d+ kB, \d+ scans since statistics were reset\n\s+DROP INDEX CONCURRENTLY public\.t_b_again;/);
      expect(await fingerprint()).toEqual(before);
    });
  });
});
