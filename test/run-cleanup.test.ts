import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifySchema } from '../src/run/pipelines.js';
import { TEST_ENGINES, reportMissingServer } from './helpers/engines.js';
import { runCli } from './helpers/run-cli.js';
import { leftoversOf, TEST_SERVER_URL } from './helpers/server.js';
import { tempDir } from './helpers/temp-dir.js';

/**
 * Runs sharing a process (the API, a test runner) are independent: a run that cannot verify undoes what it
 * started — its scratch databases, threads and roles — and nothing of a run going on beside it.
 */
reportMissingServer('a failed run cleans up only its own');

function project(): string {
  const dir = tempDir('verify-schema-run-cleanup-');
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  // The long run: busy on its reference side while the other run fails.
  write('long/reference/1_t.sql', 'CREATE TABLE t (id int);\n');
  write('long/reference/2_busy.sql', 'SELECT pg_sleep(6);\n');
  write('long/migrations/V1__t.sql', 'CREATE TABLE t (id int);\n');
  // The failing run: its first migration drops a table that does not exist.
  write('failing/reference/schema.sql', 'CREATE TABLE t (id int);\n');
  write('failing/migrations/V1__drop.sql', 'DROP TABLE t;\n');
  write('failing/migrations/V2__t.sql', 'CREATE TABLE t (id int);\n');
  return dir;
}

describe('a failed run cleans up only its own', () => {
  for (const engine of TEST_ENGINES) {
    it.concurrent(`a run on ${engine.name} goes on while another run of the process fails`, async () => {
      const dir = project();
      let failing: Promise<Awaited<ReturnType<typeof runCli>>> | undefined;
      let failedAt: number | undefined;
      const long = verifySchema({
        ...engine.options,
        cwd: join(dir, 'long'),
        reference: ['reference'],
        migrations: ['migrations'],
        cache: false,
        // The other run starts once this run's reference side is applying its busy file.
        onProgress: (event) => {
          if (event.phase !== 'apply' || event.side !== 'reference' || !event.file.endsWith('2_busy.sql') || failing) return;
          failing = runCli(['--reference', 'reference', '--migrations', 'migrations', '--no-cache', ...engine.args], { cwd: join(dir, 'failing') }).then((result) => {
            failedAt = Date.now();
            return result;
          });
        },
      });
      const report = await long;
      const finishedAt = Date.now();
      expect(failing, 'the long run never reached its busy file').toBeDefined();
      const failed = await failing!;
      expect(failed.exitCode).toBe(2);
      expect(failed.stderr).toContain('V1__drop.sql:1:12: migrations side failed: ERROR 42P01: table "t" does not exist');
      // Otherwise the failure came too late to prove anything (the busy file's sleep is the margin).
      expect(failedAt!).toBeLessThan(finishedAt);
      expect(report.findings).toEqual([]);
      expect(report.ok).toBe(true);
      if (engine.name === 'server' && TEST_SERVER_URL) expect(await leftoversOf(process.pid)).toEqual({ databases: [], roles: [] });
    });
  }
});
