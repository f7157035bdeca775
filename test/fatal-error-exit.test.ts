import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../src/engine/cache-dir.js';
import { tempDir } from './helpers/temp-dir.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'verify-schema.js');

interface Exit {
  code: number | null;
  stderr: string;
  /** Milliseconds from the error line on stderr to the process's exit. */
  afterError: number;
  total: number;
}

/** Runs the CLI as its own process (a hang shows only there: a live worker thread keeps a process running). */
function runProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv, limitMs: number): Promise<Exit> {
  return new Promise((resolve) => {
    const started = Date.now();
    let errorAt: number | undefined;
    let stderr = '';
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => {
      stderr += String(d);
      if (errorAt === undefined && stderr.includes('error:')) errorAt = Date.now();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', (code) => {
      clearTimeout(killer);
      const now = Date.now();
      resolve({ code, stderr, afterError: now - (errorAt ?? now), total: now - started });
    });
  });
}

describe('a fatal error on one side ends the run at once', () => {
  // The migrations side fails on its first statement (a down migration run as an up one) while the
  // reference side is still starting or applying: the other side's worker must be stopped, not waited for.
  it('the embedded engine exits within seconds after a migrations failure, whatever the reference side is doing', { timeout: 600_000 }, async () => {
    const dir = tempDir('verify-schema-fatal-');
    const write = (path: string, text: string) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write('migrations/V1__drop.sql', 'DROP TABLE t;\n');
    write('migrations/V2__t.sql', 'CREATE TABLE t (id int);\n');
    // Busy for five minutes, or many statements: the failure arrives while the reference side is starting or mid-apply.
    write('slow/schema.sql', 'CREATE TABLE t (id int);\nSELECT pg_sleep(300);\n');
    write('large/schema.sql', Array.from({ length: 300 }, (_, i) => `CREATE TABLE t${i} (id int PRIMARY KEY, a text);\nCREATE INDEX t${i}_a ON t${i} (a);\n`).join(''));
    const migrations = ['--migrations', join(dir, 'migrations')];
    // The engine template the other tests use (the temporary folder has no node_modules/.cache of its own).
    const env = { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', VERIFY_SCHEMA_DATABASE_URL: '', VERIFY_SCHEMA_CACHE_DIR: defaultCacheDir(join(import.meta.dirname, '..')) };
    // Side by side, one run of each: concurrency varies the timing the race depends on.
    const runs = await Promise.all(['slow', 'large'].map((reference) => runProcess(['--reference', join(dir, reference), ...migrations, '--no-cache'], dir, env, 120_000)));
    for (const run of runs) {
      // A run that printed nothing was killed at the limit: it hung before (or while) reporting its error.
      expect(run.stderr, `exit ${run.code} after ${run.total} ms`).toContain('V1__drop.sql:1:12: migrations side failed: ERROR 42P01: table "t" does not exist');
      expect(run.code).toBe(2);
      // Stopping the threads takes well under a second; the margin is for a machine under heavy load (3-5 s
      // measured at load 30 on 2 cores). Waiting for the reference side instead takes five minutes.
      expect(run.afterError).toBeLessThan(15_000);
    }
  });
});
