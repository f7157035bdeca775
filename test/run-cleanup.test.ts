import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifySchema } from '../src/run/pipelines.js';
import { TEST_ENGINES, reportMissingServer } from './helpers/engines.js';
import { runCli } from './helpers/run-cli.js';
import { leftoversOf, serverQuery, TEST_SERVER_URL } from './helpers/server.js';
import { tempDir } from './helpers/temp-dir.js';

/**
 * Runs sharing a process (the API, a test runner) are independent: a run that cannot verify undoes what it
 * started — its scratch databases, threads and roles — and nothing of a run going on beside it.
 */
reportMissingServer('a failed run cleans up only its own');

/**
 * A statement that waits until the test opens the gate: on the server until a role of the gate's name exists
 * (roles are cluster-wide, so the test's own connection can make it), on PGlite a few seconds — kept short:
 * PGlite's pg_sleep spins, a core busy for the whole wait (the failing run takes about a second).
 */
async function gate(engine: string): Promise<{ sql: string; open: () => Promise<void>; close: () => Promise<void> }> {
  if (engine !== 'server') return { sql: 'SELECT pg_sleep(5);', open: async () => undefined, close: async () => undefined };
  const name = `vs_test_gate_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
  // Spelled in two parts: the tool must not take it for a role the SQL uses and make it itself.
  const [prefix, suffix] = [name.slice(0, 8), name.slice(8)];
  return {
    sql: `DO $$ BEGIN WHILE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${prefix}' || '${suffix}') LOOP PERFORM pg_sleep(0.05); END LOOP; END $$;`,
    open: async () => void (await serverQuery(`CREATE ROLE ${name} NOLOGIN`)),
    close: async () => void (await serverQuery(`DROP ROLE IF EXISTS ${name}`)),
  };
}

function project(busy: string): string {
  const dir = tempDir('verify-schema-run-cleanup-');
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  // The long run: busy on its reference side while the other run fails.
  write('long/reference/1_t.sql', 'CREATE TABLE t (id int);\n');
  write('long/reference/2_busy.sql', `${busy}\n`);
  write('long/migrations/V1__t.sql', 'CREATE TABLE t (id int);\n');
  // The failing run: its first migration drops a table that does not exist.
  write('failing/reference/schema.sql', 'CREATE TABLE t (id int);\n');
  write('failing/migrations/V1__drop.sql', 'DROP TABLE t;\n');
  write('failing/migrations/V2__t.sql', 'CREATE TABLE t (id int);\n');
  return dir;
}

describe('a failed run cleans up only its own', () => {
  // The failed runs, and the runs beside them, left no scratch database or role behind.
  if (TEST_SERVER_URL) afterAll(async () => expect(await leftoversOf(process.pid)).toEqual({ databases: [], roles: [] }));

  for (const engine of TEST_ENGINES) {
    it.concurrent(`a run on ${engine.name} goes on while another run of the process fails`, async () => {
      const busy = await gate(engine.name);
      const dir = project(busy.sql);
      let failing: Promise<Awaited<ReturnType<typeof runCli>>> | undefined;
      let finished = false;
      try {
        const long = verifySchema({
          ...engine.options,
          cwd: join(dir, 'long'),
          reference: ['reference'],
          migrations: ['migrations'],
          cache: false,
          // The other run starts once this run's reference side is applying its busy file, which ends once
          // the other run has failed and cleaned up.
          onProgress: (event) => {
            if (event.phase !== 'apply' || event.side !== 'reference' || !event.file.endsWith('2_busy.sql') || failing) return;
            failing = runCli(['--reference', 'reference', '--migrations', 'migrations', '--no-cache', ...engine.args], { cwd: join(dir, 'failing') }).finally(() => {
              // Otherwise the failure came too late to prove anything (on PGlite the busy file's sleep is the margin).
              expect(finished, 'the long run ended before the other run failed').toBe(false);
              return busy.open();
            });
          },
        }).finally(() => (finished = true));
        const report = await long;
        expect(failing, 'the long run never reached its busy file').toBeDefined();
        const failed = await failing!;
        expect(failed.exitCode).toBe(2);
        expect(failed.stderr).toContain('V1__drop.sql:1:12: migrations side failed: ERROR 42P01: table "t" does not exist');
        expect(report.findings).toEqual([]);
        expect(report.ok).toBe(true);
      } finally {
        await busy.close();
      }
    });
  }

  it.concurrent.skipIf(!TEST_SERVER_URL)('on a server, a run that ends never drops a role another run made ready and has not used yet', async () => {
    const role = `vs_test_shared_${process.pid}`;
    const busy = await gate('server');
    const dir = tempDir('verify-schema-shared-role-');
    const write = (path: string, text: string) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    // The long run's roles are ready before its first file; it names the role only once the quick run has ended.
    const long = `CREATE TABLE t (id int);\n${busy.sql}\nGRANT SELECT ON t TO ${role};\n`;
    write('long/reference/schema.sql', long);
    write('long/migrations/V1__t.sql', long);
    const quick = `CREATE TABLE u (id int);\nGRANT SELECT ON u TO ${role};\n`;
    write('quick/reference/schema.sql', quick);
    write('quick/migrations/V1__u.sql', quick);
    const options = (project: string) => ({ databaseUrl: TEST_SERVER_URL, cwd: join(dir, project), reference: ['reference'], migrations: ['migrations'], cache: false });
    let quickRun: Promise<unknown> | undefined;
    try {
      const report = await verifySchema({
        ...options('long'),
        onProgress: (event) => {
          if (event.phase !== 'apply' || quickRun) return;
          quickRun = verifySchema(options('quick')).finally(() => busy.open());
        },
      });
      expect(await quickRun).toMatchObject({ ok: true, findings: [] });
      expect(report).toMatchObject({ ok: true, findings: [] });
      // The last run out dropped it.
      expect(await serverQuery(`SELECT rolname FROM pg_roles WHERE rolname = $1`, [role])).toEqual([]);
    } finally {
      await busy.close();
    }
  });
});
