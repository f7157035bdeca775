import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../src/engine/cache-dir.js';
import { extractTarball, extractTarballFile } from '../src/engine/extract-tarball.js';
import { PgliteEngine } from '../src/engine/pglite-engine.js';
import { verifySchema } from '../src/run/pipelines.js';
import { projectKey } from '../src/cache/cache-keys.js';
import type { ParsedFile } from '../src/parse/parse-sql.js';
import type { Report } from '../src/report/finding.js';
import { serverQuery, TEST_SERVER_URL } from './helpers/server.js';
import { tempDir } from './helpers/temp-dir.js';

const PROCESS_NOTE = `-- written by test process ${process.pid}\n`;

/** A history of `n` migrations, each adding a table with a foreign key to the previous one. */
function writeProject(dir: string, n: number, edits: { referenceExtra?: string; migrationEdit?: [number, string] } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'ref'), { recursive: true });
  mkdirSync(join(dir, 'mig'), { recursive: true });
  const table = (i: number) =>
    `CREATE TABLE t${i} (id bigint PRIMARY KEY, parent_id bigint${i > 1 ? ` REFERENCES t${i - 1} (id) ON DELETE CASCADE` : ''}, name text NOT NULL DEFAULT 'x', created_at timestamptz DEFAULT now());\nCREATE INDEX t${i}_name_idx ON t${i} (name) WHERE name <> '';`;
  const reference: string[] = [];
  for (let i = 1; i <= n; i++) {
    const sql = edits.migrationEdit?.[0] === i ? edits.migrationEdit[1] : table(i);
    // The first migration names this process: its checkpoints are a project of their own on the shared server.
    writeFileSync(join(dir, 'mig', `V${i}__t${i}.sql`), `${sql}\n${i === 1 ? PROCESS_NOTE : ''}`);
    reference.push(table(i));
  }
  writeFileSync(join(dir, 'ref', 'schema.sql'), `${reference.join('\n')}\n${edits.referenceExtra ?? ''}${PROCESS_NOTE}`);
}

/**
 * A reference in two files (tables, then a view over `SELECT *` of t1) and migrations that match it; `pr` tables
 * added by a pull request to both (the migration also adds an index the reference lacks), and `alterT1` adds a
 * column to t1 in the reference's tables file and in a migration that re-creates the view.
 */
function writeReuseProject(dir: string, edits: { pr?: number; alterT1?: boolean } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'ref'), { recursive: true });
  mkdirSync(join(dir, 'mig'), { recursive: true });
  const tables = [1, 2, 3].map((i) => `CREATE TABLE t${i} (id bigint PRIMARY KEY, name text NOT NULL${i > 1 ? `, t1_id bigint REFERENCES t1 (id)` : ''});`);
  const pr = Array.from({ length: edits.pr ?? 0 }, (_, k) => `CREATE TABLE pr${k + 1} (id bigint PRIMARY KEY, t1_id bigint NOT NULL REFERENCES t1 (id));`);
  const alter = edits.alterT1 ? ['ALTER TABLE t1 ADD COLUMN extra int;'] : [];
  // The first reference file never changes and names this process: its checkpoints are a project of their own.
  writeFileSync(join(dir, 'ref', '00_base.sql'), `CREATE TABLE t0 (id int);\n${PROCESS_NOTE}`);
  writeFileSync(join(dir, 'ref', '01_tables.sql'), [...tables, ...pr, ...alter].join('\n') + '\n');
  writeFileSync(join(dir, 'ref', '02_views.sql'), 'CREATE VIEW v1 AS SELECT * FROM t1;\n');
  writeFileSync(join(dir, 'mig', 'V1__t1.sql'), `CREATE TABLE t0 (id int);\n${tables.join('\n')}\nCREATE VIEW v1 AS SELECT * FROM t1;\n${PROCESS_NOTE}`);
  pr.forEach((sql, k) => writeFileSync(join(dir, 'mig', `V${k + 2}__pr${k + 1}.sql`), `${sql}\nCREATE INDEX pr${k + 1}_t1_idx ON pr${k + 1} (t1_id);\n`));
  if (edits.alterT1) writeFileSync(join(dir, 'mig', 'V9__alter_t1.sql'), 'ALTER TABLE t1 ADD COLUMN extra int;\nDROP VIEW v1;\nCREATE VIEW v1 AS SELECT * FROM t1;\n');
}

/**
 * Reference-side reuse gives the findings of a full rebuild: taken when a pull request adds a table to an early
 * reference file, not taken when the added statement changes a table an unchanged file's view reads (applied
 * last, the column would be missing from the view's `SELECT *`).
 */
async function referenceReuseScenario(project: string, run: (cache: boolean) => Promise<Report>) {
  writeReuseProject(project);
  const cold = await run(true);
  expect(cold.cache?.reference).toEqual({ from: 'scratch', replayed: 3 });
  expect(cold.findings).toEqual([]);

  writeReuseProject(project, { pr: 1 });
  const pr = await run(true);
  expect(pr.cache).toEqual({ reference: { from: 'checkpoint', replayed: 1, of: 3 }, migrations: { from: 'checkpoint', replayed: 1, of: 2 } });
  expect(findingsOf(pr)).toEqual([expect.stringMatching(/^index-extra public\.pr1_t1_idx /)]);
  expect(findingsOf(pr)).toEqual(findingsOf(await run(false)));

  // A second pull request on top: still from the first reference's checkpoint, both tables added.
  writeReuseProject(project, { pr: 2 });
  const second = await run(true);
  expect(second.cache?.reference).toEqual({ from: 'checkpoint', replayed: 1, of: 3 });
  expect(second.findings.map((f) => f.object)).toEqual(['public.pr1_t1_idx', 'public.pr2_t1_idx']);

  writeReuseProject(project, { pr: 2, alterT1: true });
  const altered = await run(true);
  expect(altered.cache?.reference).toEqual({ from: 'scratch', replayed: 3 });
  expect(findingsOf(altered)).toEqual(findingsOf(await run(false)));
  expect(altered.findings.map((f) => f.object)).toEqual(['public.pr1_t1_idx', 'public.pr2_t1_idx']);
}

const findingsOf = (r: Report) => r.findings.map((f) => `${f.code} ${f.object} ${JSON.stringify(f.details)}`);

describe('checkpoint and catalog cache', () => {
  let cacheDir: string;
  let project: string;
  const run = (cache: boolean) =>
    verifySchema({ reference: ['ref'], migrations: ['mig'], cwd: project, cacheDir, cache, checkpointThresholdMs: 0, inMemoryFromStatements: 200 });

  beforeAll(async () => {
    // Start from the initialised engine template the other tests use, so this test does not pay for initdb.
    await (await PgliteEngine.start({ cacheDir: defaultCacheDir() })).close();
    cacheDir = tempDir('vs-cache-');
    for (const name of readdirSync(defaultCacheDir()).filter((n) => n.includes('-datadir'))) cpSync(join(defaultCacheDir(), name), join(cacheDir, name), { recursive: true });
    project = tempDir('vs-cache-project-');
  });

  it('reuses what is unchanged and never changes a result', async () => {
    writeProject(project, 12);
    const cold = await run(true);
    expect(cold.cache).toEqual({ reference: { from: 'scratch', replayed: 1 }, migrations: { from: 'scratch', replayed: 12 } });
    expect(cold.findings).toEqual([]);

    // Nothing changed: both catalogs come from the cache and no engine starts.
    const warm = await run(true);
    expect(warm.cache).toEqual({ reference: { from: 'catalog-cache' }, migrations: { from: 'catalog-cache' } });
    expect(findingsOf(warm)).toEqual(findingsOf(cold));

    // A pull request adds a migration (the reference forgot it): only the new one is replayed.
    writeProject(project, 12);
    writeFileSync(join(project, 'mig', 'V13__extra.sql'), 'ALTER TABLE t12 ADD COLUMN note text;\n');
    const added = await run(true);
    expect(added.cache?.migrations).toEqual({ from: 'checkpoint', replayed: 1, of: 13 });
    expect(added.cache?.reference).toEqual({ from: 'catalog-cache' });
    expect(findingsOf(added)).toEqual(['column-extra public.t12.note {"migrations":{"type":"text","nullable":"NULL","default":null,"identity":null,"generated":null,"collation":null}}']);
    expect(findingsOf(added)).toEqual(findingsOf(await run(false)));

    // Editing the newest migration starts from the state before it.
    writeFileSync(join(project, 'mig', 'V13__extra.sql'), 'ALTER TABLE t12 ADD COLUMN note varchar(10);\n');
    const edited = await run(true);
    expect(edited.cache?.migrations).toEqual({ from: 'checkpoint', replayed: 1, of: 13 });
    expect(edited.findings.map((f) => f.object)).toEqual(['public.t12.note']);
    expect(edited.findings[0].details).toMatchObject({ migrations: { type: 'character varying(10)' } });
    expect(findingsOf(edited)).toEqual(findingsOf(await run(false)));

    // Editing an old, already-applied migration invalidates every state after it.
    writeProject(project, 12, { migrationEdit: [3, "CREATE TABLE t3 (id bigint PRIMARY KEY, parent_id bigint REFERENCES t2 (id), name text NOT NULL DEFAULT 'x', created_at timestamptz DEFAULT now());\nCREATE INDEX t3_name_idx ON t3 (name) WHERE name <> '';"] });
    const old = await run(true);
    expect(old.cache?.migrations).toEqual({ from: 'scratch', replayed: 12 });
    expect(findingsOf(old)).toEqual(findingsOf(await run(false)));
    expect(old.findings.map((f) => `${f.code} ${f.object}`)).toEqual(['constraint-changed public.t3.t3_parent_id_fkey']);
  });

  it('detects a damaged entry and rebuilds it instead of trusting it', async () => {
    writeProject(project, 5, { referenceExtra: 'CREATE TABLE only_in_reference (id int);\n' });
    const first = await run(true);
    expect(first.findings.map((f) => f.code)).toEqual(['table-missing']);
    for (const name of readdirSync(join(cacheDir, 'catalogs'))) writeFileSync(join(cacheDir, 'catalogs', name), '{ not json');
    for (const name of readdirSync(join(cacheDir, 'checkpoints'))) {
      // A checkpoint whose data directory is gone but whose marker survived.
      const dir = join(cacheDir, 'checkpoints', name);
      for (const entry of readdirSync(dir)) if (!entry.startsWith('.')) rmSync(join(dir, entry), { recursive: true, force: true });
    }
    const again = await run(true);
    expect(again.cache).toEqual({ reference: { from: 'scratch', replayed: 1 }, migrations: { from: 'scratch', replayed: 5 } });
    expect(findingsOf(again)).toEqual(findingsOf(first));
  });

  it('a large side runs in memory and its checkpoints are saved as one tarball each, with the same results', async () => {
    // 130 tables × 2 statements per side, with the in-memory storage lowered to 200 statements (3,000 by default).
    const savedBefore = new Set(readdirSync(join(cacheDir, 'checkpoints')));
    writeProject(project, 130);
    const cold = await run(true);
    expect(cold.findings).toEqual([]);
    expect(cold.cache?.migrations).toEqual({ from: 'scratch', replayed: 130 });
    writeFileSync(join(project, 'mig', 'V131__extra.sql'), 'ALTER TABLE t100 ALTER COLUMN name DROP NOT NULL;\n');
    const added = await run(true);
    expect(added.cache?.migrations).toEqual({ from: 'checkpoint', replayed: 1, of: 131 });
    expect(findingsOf(added)).toEqual(['column-changed public.t100.name {"nullable":{"reference":"NOT NULL","migrations":"NULL"}}']);
    expect(findingsOf(added)).toEqual(findingsOf(await run(false)));
    // Saved straight from memory as one file (unpacked and opened in place by the next run), not a thousand.
    const saved = readdirSync(join(cacheDir, 'checkpoints')).filter((n) => !n.startsWith('.') && !savedBefore.has(n));
    expect(saved.length).toBeGreaterThan(0);
    for (const n of saved) expect(readdirSync(join(cacheDir, 'checkpoints', n)).sort()).toEqual(['.verify-schema-checkpoint', 'datadir.tar']);
  });

  it('the report is ready before the cache writes finish, and a failed write changes nothing in it', async () => {
    writeProject(project, 4, { referenceExtra: 'CREATE TABLE only_in_reference (id int);\n' });
    const fresh = tempDir('vs-later-');
    for (const name of readdirSync(cacheDir).filter((n) => n.includes('-datadir'))) cpSync(join(cacheDir, name), join(fresh, name), { recursive: true });
    let written: Promise<void> | undefined;
    const options = { reference: ['ref'], migrations: ['mig'], cwd: project, cacheDir: fresh, checkpointThresholdMs: 0 };
    const first = await verifySchema({ ...options, onCacheWrites: (w) => (written = w) });
    expect(written).toBeInstanceOf(Promise);
    await written;
    // Everything the run saved after answering is complete, and the next run uses it with the same findings.
    expect(readdirSync(join(fresh, 'checkpoints')).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readdirSync(join(fresh, 'catalogs')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const warm = await verifySchema(options);
    expect(warm.cache).toEqual({ reference: { from: 'catalog-cache' }, migrations: { from: 'catalog-cache' } });
    expect(findingsOf(warm)).toEqual(findingsOf(first));
    writeFileSync(join(project, 'mig', 'V5__extra.sql'), 'ALTER TABLE t4 ADD COLUMN note text;\n');
    const added = await verifySchema(options);
    expect(added.cache?.migrations).toEqual({ from: 'checkpoint', replayed: 1, of: 5 });

    // A cache folder that cannot be written: the same findings, one notice per failed write, no error.
    const blocked = tempDir('vs-blocked-');
    for (const name of readdirSync(cacheDir).filter((n) => n.includes('-datadir'))) cpSync(join(cacheDir, name), join(blocked, name), { recursive: true });
    writeFileSync(join(blocked, 'checkpoints'), 'not a folder');
    writeFileSync(join(blocked, 'catalogs'), 'not a folder');
    const notices: string[] = [];
    const report = await verifySchema({ ...options, cacheDir: blocked, onNotice: (m) => notices.push(m) });
    expect(findingsOf(report)).toEqual(findingsOf(await verifySchema({ ...options, cache: false })));
    expect(notices.filter((n) => n.startsWith('could not save a migration checkpoint')).length).toBe(2);
    expect(notices.filter((n) => n.startsWith('could not save a reference checkpoint')).length).toBe(1);
    expect(notices.filter((n) => /^could not save the (reference|migrations) catalog in the cache/.test(n)).length).toBe(2);
  });

  it('reference-side reuse: a pull request adding a table starts from the previous reference, with the findings of a full rebuild', async () => {
    await referenceReuseScenario(project, run);
  });

  it('--no-cache reads and writes nothing', async () => {
    const empty = tempDir('vs-nocache-');
    for (const name of readdirSync(cacheDir).filter((n) => n.includes('-datadir'))) cpSync(join(cacheDir, name), join(empty, name), { recursive: true });
    writeProject(project, 3);
    const report = await verifySchema({ reference: ['ref'], migrations: ['mig'], cwd: project, cacheDir: empty, cache: false, checkpointThresholdMs: 0 });
    expect(report.cache).toEqual({ reference: { from: 'scratch', replayed: 1 }, migrations: { from: 'scratch', replayed: 3 } });
    expect(existsSync(join(empty, 'catalogs'))).toBe(false);
    expect(existsSync(join(empty, 'checkpoints'))).toBe(false);
  });
});

describe.skipIf(!TEST_SERVER_URL)('checkpoint cache on a server (template databases)', () => {
  /** This test's checkpoints (the project of its current first migration): other runs share the server. */
  const seen = new Set<string>();
  const checkpointDatabases = async () => {
    const first = join(project, 'mig', 'V1__t1.sql');
    // The migrations' project (their first file), and the reference's (its first file), when they exist.
    const keys = ['mig/V1__t1.sql', 'ref/00_base.sql', 'ref/schema.sql']
      .filter((path) => existsSync(join(project, path)))
      .map((path) => projectKey([{ file: { path: join(project, path), displayPath: path, text: readFileSync(join(project, path), 'utf8') } } as ParsedFile]));
    const names = (
      await serverQuery<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'verify\\_schema\\_ckpt\\_%' AND substring(shobj_description(oid, 'pg_database') from '; project ([0-9a-f]+);') = ANY($1) ORDER BY 1`,
        [keys],
      )
    ).map((r) => r.datname);
    names.forEach((n) => seen.add(n));
    return names;
  };
  let cacheDir: string;
  let project: string;
  let before: string[];
  const run = (cache: boolean) =>
    verifySchema({ reference: ['ref'], migrations: ['mig'], cwd: project, cacheDir, cache, checkpointThresholdMs: 0, databaseUrl: TEST_SERVER_URL });

  beforeAll(async () => {
    cacheDir = tempDir('vs-server-cache-');
    project = tempDir('vs-server-cache-project-');
    before = await checkpointDatabases();
  });
  afterAll(async () => {
    await checkpointDatabases();
    for (const name of [...seen].filter((n) => !before.includes(n))) await serverQuery(`DROP DATABASE IF EXISTS ${name}`);
  });

  it('starts from a copy of the unchanged prefix, gives the same findings as --no-cache, and drops a damaged copy', async () => {
    writeProject(project, 8);
    expect((await run(false)).cache?.migrations).toEqual({ from: 'scratch', replayed: 8 });
    expect(await checkpointDatabases()).toEqual(before); // --no-cache makes none

    const cold = await run(true);
    expect(cold.cache).toEqual({ reference: { from: 'scratch', replayed: 1 }, migrations: { from: 'scratch', replayed: 8 } });
    const saved = (await checkpointDatabases()).filter((n) => !before.includes(n));
    expect(saved).toHaveLength(3); // the states before and after the newest migration, and the reference

    writeFileSync(join(project, 'mig', 'V9__extra.sql'), 'ALTER TABLE t8 ADD COLUMN note text;\n');
    const added = await run(true);
    expect(added.cache?.migrations).toEqual({ from: 'checkpoint', replayed: 1, of: 9 });
    expect(findingsOf(added)).toEqual(['column-extra public.t8.note {"migrations":{"type":"text","nullable":"NULL","default":null,"identity":null,"generated":null,"collation":null}}']);
    expect(findingsOf(added)).toEqual(findingsOf(await run(false)));

    // A checkpoint database that is not what was saved (here: changed behind the tool's back) is dropped and rebuilt.
    writeFileSync(join(project, 'mig', 'V10__more.sql'), 'ALTER TABLE t8 ADD COLUMN more text;\n');
    rmSync(join(cacheDir, 'catalogs'), { recursive: true, force: true });
    const newest = (await checkpointDatabases()).filter((n) => !before.includes(n));
    for (const name of newest) {
      // Checkpoint databases accept no connections; a superuser can still change that and tamper.
      await serverQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await serverQuery('CREATE TABLE tampered (id int)', [], name);
    }
    const rebuilt = await run(true);
    expect(rebuilt.cache?.migrations).toMatchObject({ replayed: 10 });
    expect(findingsOf(rebuilt)).toEqual(findingsOf(await run(false)));
    expect(rebuilt.findings.some((f) => f.object === 'public.tampered')).toBe(false);
  });

  it('reference-side reuse starts from a template database of the previous reference', async () => {
    await referenceReuseScenario(project, run);
    for (const name of (await checkpointDatabases()).filter((n) => !before.includes(n))) await serverQuery(`DROP DATABASE IF EXISTS ${name}`);
  });

  it('makes the roles the SQL uses also when it starts from a checkpoint (roles are not in the copy)', async () => {
    // The migrations use the role only after the checkpoint; the run that saved it dropped the role at its end.
    const role = `vs_ckpt_reader_${process.pid}`;
    rmSync(project, { recursive: true, force: true });
    mkdirSync(join(project, 'ref'), { recursive: true });
    mkdirSync(join(project, 'mig'), { recursive: true });
    writeFileSync(join(project, 'ref', 'schema.sql'), `CREATE TABLE t1 (id int);\nCREATE TABLE t2 (id int);\nGRANT SELECT ON t2 TO ${role};\n${PROCESS_NOTE}`);
    writeFileSync(join(project, 'mig', 'V1__t1.sql'), `CREATE TABLE t1 (id int);\n${PROCESS_NOTE}`);
    writeFileSync(join(project, 'mig', 'V2__t2.sql'), 'CREATE TABLE t2 (id int);\n');
    expect((await run(true)).cache?.migrations).toEqual({ from: 'scratch', replayed: 2 });
    writeFileSync(join(project, 'mig', 'V3__grant.sql'), `GRANT SELECT ON t2 TO ${role};\n`);
    const added = await run(true);
    expect(added.cache?.migrations).toEqual({ from: 'checkpoint', replayed: 1, of: 3 });
    expect(added.findings).toEqual([]);
    // The new checkpoint's GRANT depends on the role, so it stays until that checkpoint is gone.
    expect(await serverQuery(`SELECT 1 AS kept FROM pg_roles WHERE rolname = $1`, [role])).toEqual([{ kept: 1 }]);
    for (const name of (await checkpointDatabases()).filter((n) => !before.includes(n))) await serverQuery(`DROP DATABASE IF EXISTS ${name}`);
    await serverQuery(`DROP ROLE ${role}`);
  });
});

describe('extractTarball (the fallback when a data directory cannot be copied out of memory directly)', () => {
  const listFiles = (dir: string, rel = ''): string[] =>
    readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(dir, join(rel, e.name)) : [join(rel, e.name)]));

  it('unpacks the engine template tarball into the same files as the template directory', async () => {
    await (await PgliteEngine.start({ cacheDir: defaultCacheDir() })).close();
    const tarball = readdirSync(defaultCacheDir()).find((n) => n.endsWith('-datadir.tar'))!;
    const out = tempDir('vs-untar-');
    await extractTarball(new Uint8Array(readFileSync(join(defaultCacheDir(), tarball))), out);
    const template = join(defaultCacheDir(), tarball.replace(/\.tar$/, ''));
    // The tarball was dumped from a running instance (with its lock file); the directory after it stopped.
    const expected = listFiles(template).filter((f) => !f.startsWith('.verify-schema')).sort();
    expect(listFiles(out).filter((f) => f !== 'postmaster.pid').sort()).toEqual(expected);
    expect(readFileSync(join(out, 'PG_VERSION'), 'utf8')).toBe(readFileSync(join(template, 'PG_VERSION'), 'utf8'));
  });

  it('unpacks a tarball file one entry at a time into the same files, and refuses the same entries', async () => {
    await (await PgliteEngine.start({ cacheDir: defaultCacheDir() })).close();
    const tarball = join(defaultCacheDir(), readdirSync(defaultCacheDir()).find((n) => n.endsWith('-datadir.tar'))!);
    const [whole, streamed] = [tempDir('vs-untar-'), tempDir('vs-untar-file-')];
    await extractTarball(new Uint8Array(readFileSync(tarball)), whole);
    extractTarballFile(tarball, streamed);
    expect(listFiles(streamed).sort()).toEqual(listFiles(whole).sort());
    for (const f of listFiles(whole)) expect(readFileSync(join(streamed, f)).equals(readFileSync(join(whole, f))), f).toBe(true);
    const escaping = join(tempDir('vs-untar-'), 'escape.tar');
    const header = new Uint8Array(1536);
    header.set(new TextEncoder().encode('../escape'), 0);
    header.set(new TextEncoder().encode('00000000000 '), 124);
    header[156] = '0'.charCodeAt(0);
    writeFileSync(escaping, header);
    expect(() => extractTarballFile(escaping, tempDir('vs-untar-'))).toThrow('unexpected tarball entry "../escape"');
  });

  it('refuses an entry that would leave the destination', async () => {
    const header = new Uint8Array(1024);
    header.set(new TextEncoder().encode('../escape'), 0);
    header.set(new TextEncoder().encode('00000000000 '), 124);
    header[156] = '0'.charCodeAt(0);
    await expect(extractTarball(header, tempDir('vs-untar-'))).rejects.toThrow('unexpected tarball entry "../escape"');
  });
});
