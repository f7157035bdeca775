import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { leftoversOf, SERVER_SKIP_NOTE, serverQuery, TEST_SERVER_URL, testUrlWith } from './helpers/server.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** The pid of a process that has exited (a pid is not reused within the test's few seconds). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe.skipIf(!TEST_SERVER_URL)(`objects left by killed runs${TEST_SERVER_URL ? '' : ` (${SERVER_SKIP_NOTE})`}`, () => {
  it('a run drops the scratch databases and roles of runs on this host that no longer exist (one line); cleanup drops everything else the tool made', async () => {
    // A role of its own, so the test only touches databases it owns on the shared server.
    const owner = `vs_test_cleanup_${process.pid}`;
    const password = 'cleanup-pw-7';
    await serverQuery(`CREATE ROLE ${owner} LOGIN CREATEDB CREATEROLE PASSWORD '${password}'`);
    const url = testUrlWith({ user: owner, password });
    const name = () => `verify_schema_${randomBytes(6).toString('hex')}`;
    const host = hostname();
    const dead = deadPid();
    const stale = name();
    const alive = name();
    const elsewhere = name();
    const checkpoint = `verify_schema_ckpt_${randomBytes(20).toString('hex')}`;
    const staleRole = `vs_test_stale_role_${process.pid}`;
    const liveRole = `vs_test_live_role_${process.pid}`;
    const made = [stale, alive, elsewhere, checkpoint];
    try {
      for (const db of made) await serverQuery(`CREATE DATABASE ${db} OWNER ${owner}`);
      const note = (db: string, pid: number, on: string) => serverQuery(`COMMENT ON DATABASE ${db} IS 'verify-schema scratch database (migrations side), pid ${pid} on ${on}, 2026-01-01T00:00:00.000Z; safe to drop'`);
      await note(stale, dead, host);
      await note(alive, process.pid, host);
      await note(elsewhere, dead, 'another-host.example');
      await serverQuery(`COMMENT ON DATABASE ${checkpoint} IS 'verify-schema checkpoint ${'0'.repeat(64)} fingerprint 1:2:3; project 0123456789abcdef; 2026-01-01T00:00:00.000Z; safe to drop'`);
      await serverQuery(`CREATE ROLE ${staleRole} NOLOGIN`);
      await serverQuery(`COMMENT ON ROLE ${staleRole} IS 'verify-schema scratch role, created for pid ${dead} on ${host} by ${owner}; safe to drop'`);
      await serverQuery(`CREATE ROLE ${liveRole} NOLOGIN`);
      await serverQuery(`COMMENT ON ROLE ${liveRole} IS 'verify-schema scratch role, created for pid ${process.pid} on ${host} by ${owner}; safe to drop'`);

      const fixture = ['--reference', join(FIXTURES_DIR, 'column-drift', 'reference'), '--migrations', join(FIXTURES_DIR, 'column-drift', 'migrations')];
      const run = await runCli([...fixture, '--no-cache', '--database-url', url], { cwd: FIXTURES_DIR, leftoverNotices: true });
      expect(run.exitCode).toBe(1);
      // One line. Roles are cluster-wide: another run on the shared test server may have dropped the stale
      // role first (any run does), or dropped other killed runs' roles in this one.
      const line = /^verify-schema: removed 1 scratch database \((\w+)\)(?: and \d+ roles? \(([^)]+)\))? on 127\.0\.0\.1:5432 left by verify-schema runs that no longer exist on this host \(pids? ([\d, ]+)\)\n$/.exec(run.stderr);
      expect(line, run.stderr).not.toBeNull();
      expect(line![1]).toBe(stale);
      expect(line![3].split(', ')).toContain(String(dead));
      const exists = async () => (await serverQuery<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname`, [made])).map((r) => r.datname);
      const roles = async () => (await serverQuery<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname`, [[staleRole, liveRole]])).map((r) => r.rolname);
      // A live process's database, another host's and a checkpoint stay.
      expect(await exists()).toEqual([alive, elsewhere, checkpoint].sort());
      expect(await roles()).toEqual([liveRole]);

      // cleanup drops everything the tool made there as this role, checkpoints included; never what a
      // verify-schema process still running on this host uses.
      const cleanup = await runCli(['cleanup', '--database-url', url], { cwd: FIXTURES_DIR });
      expect(cleanup.stderr).toBe('');
      expect(cleanup.exitCode).toBe(0);
      const lines = cleanup.stdout.split('\n');
      expect(lines[0]).toBe(`dropped 2 databases on 127.0.0.1:5432: ${[elsewhere, checkpoint].sort().join(', ')}`);
      // Only roles this role made (the comment says by whom) are its to drop or keep.
      // (Roles of older versions name no maker: other runs' in-use roles on the shared server may be listed too.)
      const kept = lines.find((l) => l.startsWith('kept ')) ?? '';
      expect(kept).toMatch(/^kept 1 database and \d+ roles? that verify-schema processes still running on this host use \(pids? [\d, ]+\): /);
      expect(kept.split(': ')[1].split(', ')).toEqual(expect.arrayContaining([alive, liveRole]));
      expect(await exists()).toEqual([alive]);
      expect(await roles()).toEqual([liveRole]);
      // Nothing left: says so.
      await serverQuery(`DROP DATABASE ${alive}`);
      await serverQuery(`DROP ROLE ${liveRole}`);
      expect((await runCli(['cleanup', '--database-url', url], { cwd: FIXTURES_DIR })).stdout).toBe('nothing verify-schema made is left on 127.0.0.1:5432\n');
    } finally {
      const owned = await serverQuery<{ datname: string }>(`SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1)`, [owner]);
      for (const db of new Set([...made, ...owned.map((r) => r.datname)])) await serverQuery(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await serverQuery(`DROP ROLE IF EXISTS ${staleRole}`);
      await serverQuery(`DROP ROLE IF EXISTS ${liveRole}`);
      await serverQuery(`DROP ROLE IF EXISTS ${owner}`);
    }
  });
});

describe.skipIf(!TEST_SERVER_URL)(`a role something else still uses${TEST_SERVER_URL ? '' : ` (${SERVER_SKIP_NOTE})`}`, () => {
  it('stays, marked as nobody\'s (not this process\'s leftover), and a later run drops it once nothing uses it', async () => {
    const role = `vs_test_kept_role_${process.pid}`;
    const table = `vs_test_kept_dep_${process.pid}`;
    const dir = mkdtempSync(join(tmpdir(), 'verify-schema-kept-role-'));
    try {
      for (const side of ['reference', 'migrations']) mkdirSync(join(dir, side));
      const sql = `CREATE TABLE t (id int);\nGRANT SELECT ON t TO ${role};\n`;
      writeFileSync(join(dir, 'reference', 'schema.sql'), sql);
      writeFileSync(join(dir, 'migrations', 'V1__t.sql'), sql);
      const check = () => runCli(['--reference', join(dir, 'reference'), '--migrations', join(dir, 'migrations'), '--database-url', TEST_SERVER_URL!, '--no-cache'], { cwd: dir });
      // A run makes the role, and something outside the run (here a grant in the URL's database, as a checkpoint
      // database's would be) comes to depend on it before the run ends: DROP ROLE is refused.
      await serverQuery(`CREATE TABLE public.${table} ()`);
      const first = check();
      let granted = false;
      for (let i = 0; i < 400 && !granted; i++) {
        granted = await serverQuery(`GRANT SELECT ON public.${table} TO ${role}`).then(() => true, () => false);
        if (!granted) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(granted).toBe(true);
      expect((await first).exitCode).toBe(0);
      const [kept] = await serverQuery<{ note: string }>(`SELECT shobj_description(oid, 'pg_authid') AS note FROM pg_roles WHERE rolname = $1`, [role]);
      expect(kept?.note).toMatch(/^verify-schema scratch role, kept while/);
      expect((await leftoversOf(process.pid)).roles).not.toContain(role);
      // Once nothing uses it, the next run that finds no other run's scratch database drops it.
      await serverQuery(`DROP TABLE public.${table}`);
      expect((await check()).exitCode).toBe(0);
      expect(await serverQuery(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])).toEqual([]);
    } finally {
      await serverQuery(`DROP TABLE IF EXISTS public.${table}`);
      await serverQuery(`DROP ROLE IF EXISTS ${role}`);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
