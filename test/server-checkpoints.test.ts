import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectKey } from '../src/cache/cache-keys.js';
import { planCheckpointEviction } from '../src/engine/server-checkpoints.js';
import type { ParsedFile } from '../src/parse/parse-sql.js';
import { verifySchema } from '../src/run/pipelines.js';
import { SERVER_SKIP_NOTE, serverQuery, TEST_SERVER_URL } from './helpers/server.js';
import { tempDir } from './helpers/temp-dir.js';

describe('which server checkpoints are evicted', () => {
  const mb = 1024 * 1024;
  const entry = (name: string, project: string, bytes = 10 * mb) => ({ name, project, bytes });

  it('keeps the newest few per project, then drops the oldest while all of them exceed the size cap, never the one just saved', () => {
    // Newest first, as listed from the server.
    const entries = [entry('a6', 'A'), entry('b2', 'B'), entry('a5', 'A'), entry('a4', 'A'), entry('a3', 'A'), entry('a2', 'A'), entry('b1', 'B'), entry('a1', 'A')];
    expect(planCheckpointEviction(entries, { perProject: 4, totalBytes: 1000 * mb, justSaved: 'a6' }).map((e) => `${e.name}: ${e.reason}`)).toEqual([
      'a2: more than 4 checkpoints of its project',
      'a1: more than 4 checkpoints of its project',
    ]);
    // 8 × 10 MB against a 45 MB cap: after the per-project bound 6 remain (60 MB); the oldest go until 40 MB.
    expect(planCheckpointEviction(entries, { perProject: 4, totalBytes: 45 * mb, justSaved: 'a6' }).map((e) => e.name)).toEqual(['a2', 'a1', 'b1', 'a3']);
    // The checkpoint just saved stays even when it alone exceeds the cap.
    expect(planCheckpointEviction([entry('big', 'A', 500 * mb), entry('old', 'B')], { perProject: 4, totalBytes: 100 * mb, justSaved: 'big' }).map((e) => e.name)).toEqual(['old']);
  });
});

describe.skipIf(!TEST_SERVER_URL)(`server checkpoints of two projects${TEST_SERVER_URL ? '' : ` (${SERVER_SKIP_NOTE})`}`, () => {
  const made = new Set<string>();
  const checkpointsOf = async (project: string) =>
    (
      await serverQuery<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'verify\\_schema\\_ckpt\\_%' AND shobj_description(oid, 'pg_database') LIKE $1`, [`%; project ${project};%`])
    ).map((r) => r.datname);
  afterAll(async () => {
    for (const name of made) await serverQuery(`DROP DATABASE IF EXISTS ${name}`);
  });

  /** A project whose first migration differs from the other's (its identity); n migrations. */
  function writeProject(dir: string, name: string, n: number): string {
    mkdirSync(join(dir, 'ref'), { recursive: true });
    mkdirSync(join(dir, 'mig'), { recursive: true });
    const tables = Array.from({ length: n }, (_, i) => `CREATE TABLE ${name}_${i + 1} (id int PRIMARY KEY);`);
    tables.forEach((sql, i) => writeFileSync(join(dir, 'mig', `V${i + 1}__${name}.sql`), `${sql}\n`));
    writeFileSync(join(dir, 'ref', 'schema.sql'), `${tables.join('\n')}\n`);
    return projectKey([{ file: { path: join(dir, 'mig', `V1__${name}.sql`), displayPath: `mig/V1__${name}.sql`, text: `${tables[0]}\n` } } as ParsedFile]);
  }

  it('two projects on one server do not evict each other; each keeps its newest 4; --debug names what was evicted', async () => {
    const projects = { a: tempDir('vs-ckpt-project-a-'), b: tempDir('vs-ckpt-project-b-') };
    const debug: string[] = [];
    const run = (cwd: string) =>
      verifySchema({ reference: ['ref'], migrations: ['mig'], cwd, cacheDir: join(cwd, 'cache'), checkpointThresholdMs: 0, databaseUrl: TEST_SERVER_URL, onDebug: (m) => debug.push(m) });
    const projectB = writeProject(projects.b, `b${process.pid}`, 2);
    const b = await run(projects.b);
    expect(b.cache?.migrations).toEqual({ from: 'scratch', replayed: 2 });
    const bCheckpoints = await checkpointsOf(projectB);
    bCheckpoints.forEach((n) => made.add(n));
    expect(bCheckpoints).toHaveLength(2);

    // Project A grows one migration per run: 3, 4, 5, 6 files make 5 checkpoints, one more than kept.
    let projectA = '';
    for (let n = 3; n <= 6; n++) {
      projectA = writeProject(projects.a, `a${process.pid}`, n);
      await run(projects.a);
      (await serverQuery<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'verify\\_schema\\_ckpt\\_%'`)).forEach((r) => made.add(r.datname));
    }
    expect(projectA).not.toBe(projectB);
    expect(await checkpointsOf(projectA)).toHaveLength(4);
    expect(new Set(await checkpointsOf(projectB))).toEqual(new Set(bCheckpoints));
    const evicted = debug.filter((m) => m.startsWith('evicted checkpoint'));
    expect(evicted).toHaveLength(1);
    expect(evicted[0]).toMatch(new RegExp(`^evicted checkpoint verify_schema_ckpt_[0-9a-f]{40} \\(project ${projectA}, \\d+ (kB|MB)\\): more than 4 checkpoints of its project$`));
  });
});
