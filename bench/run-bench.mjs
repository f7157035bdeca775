// `npm run bench`: times verify-schema against the floor a user would script by hand, on the same machine in
// one run, and writes BENCHMARKS.md. Sizes: S (the demo), M (~100 tables / ~200 migrations), L (~500 / ~1,000).
//
// Configurations per size, each run RUNS times (median quoted), peak memory from /usr/bin/time:
//   embedded   verify-schema on PGlite, cold (--no-cache)
//   server     verify-schema --database-url on a running PostgreSQL (when one is reachable)
//   floor      on that same running server: createdb ×2, `psql -1 -f` of all reference files into one database
//              and of all migrations into another, `pg_dump --schema-only` of both, `diff`, dropdb ×2
//   +1 warm    verify-schema on PGlite after adding one migration to a history it has seen (checkpoint cache),
//              and the same on the server (checkpoints as template databases)
//
// Environment: BENCH_DATABASE_URL (default: VERIFY_SCHEMA_TEST_DATABASE_URL), BENCH_RUNS (default 3),
// BENCH_SIZES (default "S,M,L").
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProject } from './generate-project.mjs';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'verify-schema.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? 'S,M,L').split(',');
const URL_ = process.env.BENCH_DATABASE_URL ?? process.env.VERIFY_SCHEMA_TEST_DATABASE_URL;
const work = mkdtempSync(join(tmpdir(), 'vs-bench-'));
const cacheDir = join(work, 'cache');

function projectFor(size) {
  if (size === 'S') {
    return { reference: [join(ROOT, 'db/schema')], baseline: [join(ROOT, 'db/baseline')], migrations: [join(ROOT, 'db/migration')], tables: 7, migrationCount: 6 };
  }
  const tables = size === 'M' ? 100 : 500;
  const dir = join(work, size);
  const p = generateProject(dir, tables);
  return { reference: [p.reference], baseline: [], migrations: [p.migrations], tables, migrationCount: p.migrationCount, dir };
}

/** Runs a command under /usr/bin/time; returns seconds and peak resident memory in MB. */
function timed(command, args, options = {}) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', cwd: work, maxBuffer: 1 << 28, ...options });
  const last = result.stderr.trim().split('\n').at(-1) ?? '';
  const [seconds, kb] = last.split(' ').map(Number);
  if (![0, 1].includes(result.status)) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  return { seconds, mb: kb / 1024, status: result.status };
}

function verifyArgs(p, extra = []) {
  const args = [BIN, '--reference', ...p.reference, '--migrations', ...p.migrations, '--format', 'json', '--output', join(work, 'report.json'), ...extra];
  if (p.baseline.length) args.push('--baseline', ...p.baseline);
  return args;
}

function sqlFiles(paths) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.sql')) out.push(join(d, e.name));
    }
  };
  for (const p of paths) walk(p);
  return out;
}

/** The hand-written floor, as one shell script so its time is one process tree's. */
function floorScript(p, url) {
  const ref = sqlFiles(p.reference);
  const mig = [...sqlFiles(p.baseline), ...sqlFiles(p.migrations).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))];
  const prelude = join(work, 'prelude.sql');
  writeFileSync(prelude, [
    `DO $$ BEGIN CREATE ROLE anon; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`,
    `DO $$ BEGIN CREATE ROLE authenticated; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`,
    `DO $$ BEGIN CREATE ROLE service_role; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`,
    `CREATE SCHEMA auth;`,
    `CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $f$;`,
  ].join('\n'));
  const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const base = url.replace(/\/[^/?]*(\?|$)/, '/BENCHDB$1');
  const files = (list) => list.map((f) => `-f ${q(f)}`).join(' ');
  const script = `set -e
U=${q(url)}
R=${q(base.replace('BENCHDB', 'bench_floor_ref'))}
M=${q(base.replace('BENCHDB', 'bench_floor_mig'))}
# Roles the prelude creates and the cluster lacks are dropped at the end (an existing role is left alone).
CREATED=$(psql -X "$U" -Atc "SELECT string_agg(r, ' ') FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) r WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)")
psql -q "$U" -c 'DROP DATABASE IF EXISTS bench_floor_ref' -c 'DROP DATABASE IF EXISTS bench_floor_mig' -c 'CREATE DATABASE bench_floor_ref' -c 'CREATE DATABASE bench_floor_mig' >/dev/null
psql -q -X -v ON_ERROR_STOP=1 "$R" -f ${q(prelude)} >/dev/null
psql -q -X -v ON_ERROR_STOP=1 "$M" -f ${q(prelude)} >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -1 "$R" ${files(ref)} >/dev/null &
psql -q -X -v ON_ERROR_STOP=1 -1 "$M" ${files(mig)} >/dev/null &
wait
pg_dump --schema-only "$R" > ${q(join(work, 'ref.dump'))} &
pg_dump --schema-only "$M" > ${q(join(work, 'mig.dump'))} &
wait
diff ${q(join(work, 'ref.dump'))} ${q(join(work, 'mig.dump'))} > /dev/null || true
psql -q "$U" -c 'DROP DATABASE bench_floor_ref' -c 'DROP DATABASE bench_floor_mig' >/dev/null
for r in $CREATED; do psql -q "$U" -c "DROP ROLE IF EXISTS $r" >/dev/null; done
`;
  const path = join(work, 'floor.sh');
  writeFileSync(path, script);
  return path;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(label, fn) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(fn());
  const r = { label, seconds: median(runs.map((x) => x.seconds)), mb: Math.max(...runs.map((x) => x.mb)), all: runs.map((x) => x.seconds) };
  console.log(`  ${label.padEnd(10)} ${r.seconds.toFixed(2)} s (runs: ${r.all.map((s) => s.toFixed(2)).join(', ')}), peak ${r.mb.toFixed(0)} MB`);
  return r;
}

const serverReachable = URL_ && spawnSync('psql', [URL_, '-Atc', 'select 1'], { encoding: 'utf8' }).status === 0;
if (!serverReachable) console.log(`no reachable server (BENCH_DATABASE_URL / VERIFY_SCHEMA_TEST_DATABASE_URL): server and floor are skipped`);

const checkpointDatabases = () =>
  serverReachable ? execFileSync('psql', [URL_, '-Atc', `SELECT datname FROM pg_database WHERE datname LIKE 'verify\\_schema\\_ckpt\\_%'`], { encoding: 'utf8' }).split('\n').filter(Boolean) : [];
const checkpointsBefore = new Set(checkpointDatabases());

const results = [];
for (const size of SIZES) {
  const p = projectFor(size);
  console.log(`${size}: ${p.tables} tables, ${p.migrationCount} migrations`);
  // Warm the engine template once so no run pays for initdb.
  timed('node', verifyArgs(p, ['--no-cache']), { env: { ...process.env, VERIFY_SCHEMA_CACHE_DIR: cacheDir } });
  const env = { ...process.env, VERIFY_SCHEMA_CACHE_DIR: cacheDir };
  const row = { size, tables: p.tables, migrations: p.migrationCount };
  row.embedded = measure('embedded', () => timed('node', verifyArgs(p, ['--no-cache']), { env }));
  if (serverReachable) {
    row.server = measure('server', () => timed('node', verifyArgs(p, ['--no-cache', '--database-url', URL_]), { env }));
    const script = floorScript(p, URL_);
    row.floor = measure('floor', () => timed('bash', [script]));
  }
  if (p.dir) {
    // +1 warm: the history as it was seen, then one more migration; each run adds a fresh one.
    timed('node', verifyArgs(p), { env });
    let extra = 0;
    row.warm = measure('+1 warm', () => {
      extra++;
      writeFileSync(join(p.migrations[0], `V${p.migrationCount + extra}__bench_extra_${extra}.sql`), `ALTER TABLE t0000 ADD COLUMN bench_extra_${extra} int;\n`);
      return timed('node', verifyArgs(p), { env });
    });
    for (let i = 1; i <= extra; i++) rmSync(join(p.migrations[0], `V${p.migrationCount + i}__bench_extra_${i}.sql`));
    if (serverReachable) {
      // The same on a server, where the checkpoints are template databases.
      timed('node', verifyArgs(p, ['--database-url', URL_]), { env });
      extra = 0;
      row.serverWarm = measure('+1 server', () => {
        extra++;
        writeFileSync(join(p.migrations[0], `V${p.migrationCount + extra}__bench_extra_${extra}.sql`), `ALTER TABLE t0000 ADD COLUMN bench_extra_${extra} int;\n`);
        return timed('node', verifyArgs(p, ['--database-url', URL_]), { env });
      });
      for (let i = 1; i <= extra; i++) rmSync(join(p.migrations[0], `V${p.migrationCount + i}__bench_extra_${i}.sql`));
    }
  }
  results.push(row);
}

// The server checkpoints this benchmark made, then the temporary roles they kept alive.
for (const name of checkpointDatabases().filter((n) => !checkpointsBefore.has(n))) execFileSync('psql', [URL_, '-qc', `DROP DATABASE IF EXISTS "${name}"`]);
const scratchLeft = () => execFileSync('psql', [URL_, '-Atc', `SELECT count(*) FROM pg_database WHERE datname LIKE 'verify\\_schema\\_%'`], { encoding: 'utf8' }).trim() !== '0';
if (serverReachable && !scratchLeft()) {
  const roles = execFileSync('psql', [URL_, '-Atc', `SELECT rolname FROM pg_roles WHERE shobj_description(oid, 'pg_authid') LIKE 'verify-schema scratch role%'`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const role of roles) execFileSync('psql', [URL_, '-qc', `DROP ROLE IF EXISTS "${role}"`]);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}` + (serverReachable ? `, ${execFileSync('psql', [URL_, '-Atc', 'show server_version'], { encoding: 'utf8' }).trim().split(' ')[0]} server on loopback` : '');
const fmt = (r) => (r ? `${r.seconds.toFixed(2)} s` : '—');
const ratio = (a, b) => (a && b ? `${(a.seconds / b.seconds).toFixed(2)}×` : '—');
const mem = (r) => (r ? `${r.mb.toFixed(0)} MB` : '—');
const lines = [
  '# Benchmarks',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}. Median of ${RUNS} runs each; peak memory is the`,
  'largest resident set of the measured process tree (for the floor: the client tools, not the server).',
  '',
  '| size | tables | migrations | embedded | server | floor | embedded / floor | server / floor | +1 migration, warm (embedded) | +1 migration, warm (server) | peak MB embedded | peak MB server |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...results.map((r) => `| ${r.size} | ${r.tables} | ${r.migrations} | ${fmt(r.embedded)} | ${fmt(r.server)} | ${fmt(r.floor)} | ${ratio(r.embedded, r.floor)} | ${ratio(r.server, r.floor)} | ${fmt(r.warm)} | ${fmt(r.serverWarm)} | ${mem(r.embedded)} | ${mem(r.server)} |`),
  '',
];
const out = join(ROOT, 'BENCHMARKS.results.md');
writeFileSync(out, lines.join('\n'));
console.log(`\n${lines.join('\n')}\nwritten to ${out}`);
rmSync(work, { recursive: true, force: true });
