// `npm run bench`: times verify-schema against the floor a user would script by hand, on the same machine in
// one run, and writes BENCHMARKS.results.md (the raw table; BENCHMARKS.md quotes it with the analysis).
//
// Projects: S (the demo, db/), M (100 tables) and L (500 tables, ~1,000 migrations) of the generated shapes in
// bench/generate-project.mjs (chain, shared-parent, wide-small, functions-views).
//
// Runs per project (every one a separate process under /usr/bin/time: wall seconds and peak resident memory):
//   first run   embedded engine, empty cache folder (a new machine, or CI without a restored cache)
//   no-cache    embedded, --no-cache, the engine template already initialised
//   server 1st  --database-url, empty cache folder and no checkpoint databases of this project
//   server nc   --database-url --no-cache
//   floor       on the same server: createdb ×2, `psql -1 -f` of all reference files into one database and of all
//               migrations into another (both at once), `pg_dump --schema-only` of both, `diff`, dropdb ×2
//   re-run      an unchanged re-run: the cache folder filled by an identical run (both catalogs from the cache)
//   +1 mig      (M, L) warm: one new migration after a run that saw the rest, reference unchanged
//   warm PR     (M, L) warm: one new migration plus the same table added to the first reference tables file,
//               embedded and on the server
// The cold runs of one pass are interleaved (first run, no-cache, server, floor, …) so a slow moment of the
// machine does not land on one column; ratios are taken within one `npm run bench`.
// Extras: the lint step's overhead (L chain, --base-ref with the newest migration new, against --no-lint),
// the setup-order side's cost (the demo with and without --order-file false) and the launcher's one-time build
// of dist/ in a fresh checkout.
//
// Environment:
//   BENCH_SIZES       sizes, default "S,M,L"
//   BENCH_SHAPES      shapes of L, default all four; BENCH_M_SHAPES shapes of M, default "chain"
//   BENCH_RUNS        runs per cell for S and M (default 3); BENCH_L_RUNS for L (default 2)
//   BENCH_EXTRAS      "lint,setup,launcher" (default all; "none" for none)
//   BENCH_M_TABLES, BENCH_L_TABLES  the sizes' table counts (default 100 and 500), to try the script quickly
//   BENCH_DATABASE_URL  the server (default VERIFY_SCHEMA_TEST_DATABASE_URL); without one, server rows and
//                     the floor are skipped
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProject, SHAPES } from './generate-project.mjs';
import { projectKey } from '../dist/cache/cache-keys.js';
import { displayPath } from '../dist/inputs/display-path.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'verify-schema.js');
const list = (name, fallback) => (process.env[name] ?? fallback).split(',').map((s) => s.trim()).filter((s) => s && s !== 'none');
const SIZES = list('BENCH_SIZES', 'S,M,L');
const L_SHAPES = list('BENCH_SHAPES', Object.keys(SHAPES).join(','));
const M_SHAPES = list('BENCH_M_SHAPES', 'chain');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const L_RUNS = Number(process.env.BENCH_L_RUNS ?? 2);
const M_TABLES = Number(process.env.BENCH_M_TABLES ?? 100);
const L_TABLES = Number(process.env.BENCH_L_TABLES ?? 500);
const EXTRAS = list('BENCH_EXTRAS', 'lint,setup,launcher');
const URL_ = process.env.BENCH_DATABASE_URL ?? process.env.VERIFY_SCHEMA_TEST_DATABASE_URL;
const work = mkdtempSync(join(tmpdir(), 'vs-bench-'));
const started = Date.now();
for (const shape of [...L_SHAPES, ...M_SHAPES]) if (!SHAPES[shape]) throw new Error(`unknown shape ${shape} (one of ${Object.keys(SHAPES).join(', ')})`);

const psql = (...args) => execFileSync('psql', ['-X', URL_, ...args], { encoding: 'utf8' });
const serverReachable = URL_ && spawnSync('psql', ['-X', URL_, '-Atc', 'select 1'], { encoding: 'utf8' }).status === 0;
if (!serverReachable) console.log('no reachable server (BENCH_DATABASE_URL / VERIFY_SCHEMA_TEST_DATABASE_URL): server rows and the floor are skipped');

/** The engine template, initialised once: every run but the first-run rows starts with it in its cache folder. */
const templateCache = join(work, 'template-cache');

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

function projects() {
  const out = [];
  for (const size of SIZES) {
    if (size === 'S') {
      out.push({ id: 'S', size, shape: 'demo', reference: [join(ROOT, 'db/schema')], baseline: [join(ROOT, 'db/baseline')], migrations: [join(ROOT, 'db/migration')], tables: 7, migrationCount: 6, runs: RUNS });
      continue;
    }
    const tables = size === 'M' ? M_TABLES : L_TABLES;
    for (const shape of size === 'M' ? M_SHAPES : L_SHAPES) {
      const dir = join(work, `${size}-${shape}`);
      const p = generateProject(dir, tables, shape);
      out.push({ id: `${size} ${shape}`, size, shape, reference: [p.reference], baseline: [], migrations: [p.migrations], tables, migrationCount: p.migrationCount, firstTablesFile: p.firstTablesFile, prParent: p.prParent, dir, runs: size === 'L' ? L_RUNS : RUNS });
    }
  }
  return out;
}

/** Runs a command under /usr/bin/time; returns seconds, peak resident memory in MB and the report's cache sources. */
function timed(command, args, options = {}) {
  // A run that hangs is stopped after ten minutes (the results measured so far are already written).
  const result = spawnSync('/usr/bin/time', ['-f', 'BENCHTIME %e %M', command, ...args], { encoding: 'utf8', cwd: work, maxBuffer: 1 << 28, timeout: 600_000, killSignal: 'SIGKILL', ...options });
  const last = result.stderr.split('\n').reverse().find((l) => l.startsWith('BENCHTIME ')) ?? '';
  const [seconds, kb] = last.split(' ').slice(1).map(Number);
  if (![0, 1].includes(result.status)) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr.slice(-3000)}`);
  return { seconds, mb: kb / 1024, status: result.status, stderr: result.stderr };
}

function verify(p, extra = [], cacheDir = templateCache, env = {}) {
  const report = join(work, 'report.json');
  rmSync(report, { force: true });
  const args = [BIN, '--reference', ...p.reference, '--migrations', ...p.migrations, '--format', 'json', '--output', report, ...extra];
  if (p.baseline.length) args.push('--baseline', ...p.baseline);
  const r = timed(process.execPath, args, { env: { ...process.env, VERIFY_SCHEMA_CACHE_DIR: cacheDir, VERIFY_SCHEMA_TRACE: '1', ...env } });
  const json = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
  // The CLI prints the report, then finishes its cache writes before it exits: the answer came that much earlier.
  const at = (what) => Number(new RegExp(`\\[trace \\+(\\d+) ms[^\\]]*\\] ${what}`).exec(r.stderr)?.[1] ?? NaN);
  const lastTrace = Math.max(...[...r.stderr.matchAll(/\[trace \+(\d+) ms/g)].map((m) => Number(m[1])));
  const answer = r.seconds - Math.max(0, (lastTrace - at('report written')) / 1000);
  return { ...r, cache: json?.cache, findings: json?.findings?.length, answer: Number.isFinite(answer) ? answer : r.seconds };
}

/** The hand-written floor, as one shell script so its time is one process tree's. */
function floorScript(p) {
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
  const base = URL_.replace(/\/[^/?]*(\?|$)/, '/BENCHDB$1');
  const files = (paths) => paths.map((f) => `-f ${q(f)}`).join(' ');
  const script = `set -e
U=${q(URL_)}
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

/** Server checkpoint databases of this project as its files are now (its checkpoints name the project, see projectKey). */
function projectCheckpoints(p) {
  if (!serverReachable) return [];
  const keys = [sqlFiles(p.reference)[0], [...sqlFiles(p.baseline), ...sqlFiles(p.migrations)][0]].map((path) =>
    projectKey([{ file: { path, displayPath: displayPath(path, work), text: readFileSync(path, 'utf8') } }]),
  );
  const rows = psql('-Atc', `SELECT datname, coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname LIKE 'verify\\_schema\\_ckpt\\_%'`, '-F', '\t');
  return rows.split('\n').filter(Boolean).map((l) => l.split('\t')).filter(([, note]) => keys.some((k) => note.includes(`; project ${k};`))).map(([name]) => name);
}
const dropCheckpoints = (p) => projectCheckpoints(p).forEach((name) => psql('-qc', `DROP DATABASE IF EXISTS "${name}"`));

/** The phase lines of VERIFY_SCHEMA_TRACE (not every catalog query), to show where a run's time went. */
const phases = (stderr) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('[trace ') && !/ introspected [a-z-]+ \(\d+ rows/.test(l))
    .join('\n');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function summarize(label, runs) {
  const r = { label, seconds: median(runs.map((x) => x.seconds)), mb: Math.max(...runs.map((x) => x.mb)), all: runs.map((x) => x.seconds), cache: runs.at(-1)?.cache, answer: median(runs.map((x) => x.answer ?? x.seconds)), trace: phases(runs.at(-1)?.stderr ?? '') };
  const how = r.cache ? ` cache ${JSON.stringify(r.cache)}` : '';
  const answered = r.answer < r.seconds - 0.05 ? ` (report printed at ${r.answer.toFixed(2)} s)` : '';
  console.log(`  ${label.padEnd(12)} ${r.seconds.toFixed(2)} s${answered} (runs: ${r.all.map((s) => s.toFixed(2)).join(', ')}), peak ${r.mb.toFixed(0)} MB${how}`);
  return r;
}

/** Adds table bench_pr_<n> as a new migration and, unless migrationOnly, to the first reference tables file. */
function pullRequest(p, n, migrationOnly) {
  const table = `CREATE TABLE bench_pr_${n} (\n  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n  ${p.prParent}_id bigint NOT NULL REFERENCES ${p.prParent} (id),\n  note text\n);\n`;
  writeFileSync(join(p.migrations[0], `V${p.migrationCount + n}__bench_pr_${n}.sql`), table);
  if (!migrationOnly) writeFileSync(p.firstTablesFile, `${readFileSync(p.firstTablesFile, 'utf8')}\n${table}`);
}
function undoPullRequests(p, n, original) {
  for (let i = 1; i <= n; i++) rmSync(join(p.migrations[0], `V${p.migrationCount + i}__bench_pr_${i}.sql`), { force: true });
  writeFileSync(p.firstTablesFile, original);
}

/** Runs `count` warm pull requests, each after the previous one, from a cache primed with the project as it was. */
function warmRuns(p, label, { server, migrationOnly, count }) {
  const cacheDir = join(work, `warm-cache-${Math.random().toString(36).slice(2)}`);
  cpSync(templateCache, cacheDir, { recursive: true });
  const extra = server ? ['--database-url', URL_] : [];
  const original = readFileSync(p.firstTablesFile, 'utf8');
  if (server) dropCheckpoints(p);
  verify(p, extra, cacheDir); // the run of the base branch that filled the cache
  const runs = [];
  try {
    for (let n = 1; n <= count; n++) {
      pullRequest(p, n, migrationOnly);
      runs.push(verify(p, extra, cacheDir));
    }
    if (server) dropCheckpoints(p);
  } finally {
    undoPullRequests(p, count, original);
    if (server) dropCheckpoints(p);
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return summarize(label, runs);
}

/** An unchanged re-run: a run with a cache folder an identical earlier run filled (both catalogs come from the cache). */
function rerunRuns(p) {
  const cacheDir = join(work, `rerun-cache-${Math.random().toString(36).slice(2)}`);
  cpSync(templateCache, cacheDir, { recursive: true });
  try {
    verify(p, [], cacheDir);
    const runs = [];
    for (let i = 0; i < p.runs; i++) runs.push(verify(p, [], cacheDir));
    return summarize('re-run', runs);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function measureProject(p) {
  console.log(`${p.id}: ${p.tables} tables, ${p.migrationCount} migrations, ${p.runs} run(s) per cell`);
  const cold = { first: [], noCache: [], serverFirst: [], serverNoCache: [], floor: [] };
  const floor = serverReachable && floorScript(p);
  for (let i = 0; i < p.runs; i++) {
    const fresh = mkdtempSync(join(work, 'fresh-'));
    cold.first.push(verify(p, [], fresh));
    rmSync(fresh, { recursive: true, force: true });
    cold.noCache.push(verify(p, ['--no-cache']));
    if (serverReachable) {
      cold.floor.push(timed('bash', [floor]));
      const freshServer = mkdtempSync(join(work, 'fresh-'));
      dropCheckpoints(p);
      cold.serverFirst.push(verify(p, ['--database-url', URL_], freshServer));
      dropCheckpoints(p);
      rmSync(freshServer, { recursive: true, force: true });
      cold.serverNoCache.push(verify(p, ['--no-cache', '--database-url', URL_]));
    }
  }
  const row = { ...p };
  row.first = summarize('first run', cold.first);
  row.noCache = summarize('no-cache', cold.noCache);
  if (serverReachable) {
    row.floor = summarize('floor', cold.floor);
    row.serverFirst = summarize('server 1st', cold.serverFirst);
    row.serverNoCache = summarize('server nc', cold.serverNoCache);
  }
  row.rerun = rerunRuns(p);
  if (p.firstTablesFile) {
    row.warmMigration = warmRuns(p, '+1 mig', { server: false, migrationOnly: true, count: p.runs });
    row.warmPr = warmRuns(p, 'warm PR', { server: false, migrationOnly: false, count: p.runs });
    if (serverReachable) row.serverWarmPr = warmRuns(p, 'server PR', { server: true, migrationOnly: false, count: p.runs });
  }
  return row;
}

/** The lint step's cost: the L chain project, its newest migration new against the base branch. */
function lintOverhead() {
  const dir = join(work, 'lint');
  const g = generateProject(dir, L_TABLES, 'chain');
  const git = (...args) => execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' } });
  const newest = readdirSync(g.migrations).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('reset', '-q', join('migrations', newest));
  git('commit', '-q', '-m', 'base');
  const p = { reference: [g.reference], baseline: [], migrations: [g.migrations] };
  const run = (extra) => verify(p, ['--no-cache', ...extra], templateCache);
  const withLint = [];
  const without = [];
  const runs = Math.max(L_RUNS, 2);
  for (let i = 0; i < runs; i++) {
    // Alternate, so a slow moment of the machine does not land on one configuration only.
    if (i % 2 === 0) without.push(run(['--no-lint']));
    withLint.push(timed(process.execPath, [BIN, '--reference', g.reference, '--migrations', g.migrations, '--base-ref', 'main', '--no-cache', '--format', 'json', '--output', join(work, 'lint.json')], { cwd: dir, env: { ...process.env, VERIFY_SCHEMA_CACHE_DIR: templateCache } }));
    if (i % 2 === 1) without.push(run(['--no-lint']));
  }
  return { without: summarize('no lint', without), withLint: summarize('lint new', withLint), newest };
}

/** The setup-order side (the demo's README names an order): the demo with it and without (--order-file false). */
function setupCost() {
  const p = { reference: [join(ROOT, 'db/schema')], baseline: [join(ROOT, 'db/baseline')], migrations: [join(ROOT, 'db/migration')] };
  const off = join(work, 'order-file-false.json');
  writeFileSync(off, JSON.stringify({ orderFile: false }));
  const withSetup = [];
  const without = [];
  for (let i = 0; i < RUNS; i++) {
    withSetup.push(verify(p, ['--no-cache']));
    without.push(verify(p, ['--no-cache', '--config', off]));
  }
  return { withSetup: summarize('with setup', withSetup), without: summarize('no setup', without) };
}

/** A fresh checkout: the launcher builds dist/ on its first run, and not on the next. */
function launcherBuild() {
  const dir = join(work, 'checkout');
  mkdirSync(dir);
  for (const name of ['bin', 'src', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, name), join(dir, name), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const first = timed(process.execPath, [join(dir, 'bin', 'verify-schema.js'), '--version'], { cwd: dir });
  const second = timed(process.execPath, [join(dir, 'bin', 'verify-schema.js'), '--version'], { cwd: dir });
  console.log(`  launcher: first run (builds dist/) ${first.seconds.toFixed(2)} s, next run ${second.seconds.toFixed(2)} s`);
  return { first, second };
}

// ---- the results table ----
let machine;
const machineLine = () => `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}` + (serverReachable ? `, PostgreSQL ${psql('-Atc', 'show server_version').trim().split(' ')[0]} on loopback` : '');
const s = (r) => (r ? `${r.seconds.toFixed(2)} s` : '—');
const x = (a, b) => (a && b ? a.seconds / b.seconds : undefined);
const fx = (v) => (v === undefined ? '—' : `${v.toFixed(2)}×`);
const verdict = (value, limit) => (value === undefined ? 'not measured' : value <= limit ? 'met' : '**not met**');
function writeResults(done) {
  machine ??= machineLine();
  const lines = [
    '# Benchmark results',
    '',
    `\`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round((Date.now() - started) / 60000)} minutes${done ? '' : ' so far (INCOMPLETE: the run stopped early or is still going)'}: ${machine}.`,
    `Median of the runs per cell (S/M: ${RUNS}, L: ${L_RUNS}); peak memory is the largest resident set of the measured process tree`,
    '(for the floor: the client tools, not the server). Ratios are against the floor of the same run. Times are until the process',
    'exits; "report at" is when the report was printed, before the cache writes that finish the run.',
    '',
    '| project | tables | migrations | first run | no-cache | server, 1st | server, no-cache | floor | first / floor | no-cache / floor | server 1st / floor | unchanged re-run | re-run / floor | +1 migration, warm | warm PR | warm PR, server | peak MB first run | peak MB no-cache | peak MB server |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map((r) =>
      `| ${r.id} | ${r.tables} | ${r.migrationCount} | ${s(r.first)}${r.first.answer < r.first.seconds - 0.05 ? ` (report at ${r.first.answer.toFixed(2)} s)` : ''} | ${s(r.noCache)} | ${s(r.serverFirst)} | ${s(r.serverNoCache)} | ${s(r.floor)} | ${fx(x(r.first, r.floor))} | ${fx(x(r.noCache, r.floor))} | ${fx(x(r.serverFirst, r.floor))} | ${s(r.rerun)} | ${fx(x(r.rerun, r.floor))} | ${s(r.warmMigration)} | ${s(r.warmPr)} | ${s(r.serverWarmPr)} | ${r.first.mb.toFixed(0)} | ${r.noCache.mb.toFixed(0)} | ${r.serverFirst ? r.serverFirst.mb.toFixed(0) : '—'} |`,
    ),
    '',
    '## Targets',
    '',
    '| target | project | measured | verdict |',
    '| --- | --- | --- | --- |',
  ];
  for (const r of results) {
    if (r.size === 'S') {
      lines.push(`| demo first run ≤ 1.5× floor | S | ${fx(x(r.first, r.floor))} | ${verdict(x(r.first, r.floor), 1.5)} |`);
      lines.push(`| demo with the template ≤ 1.0× floor (--no-cache) | S | ${fx(x(r.noCache, r.floor))} | ${verdict(x(r.noCache, r.floor), 1.0)} |`);
    lines.push(`| demo with the cache ≤ 1.0× floor (unchanged re-run) | S | ${fx(x(r.rerun, r.floor))} | ${verdict(x(r.rerun, r.floor), 1.0)} |`);
    }
    if (r.size === 'L') {
      lines.push(`| first run ≤ 0.8× floor (embedded) | ${r.id} | ${fx(x(r.first, r.floor))} | ${verdict(x(r.first, r.floor), 0.8)} |`);
      lines.push(`| first run ≤ 0.7× floor (server) | ${r.id} | ${fx(x(r.serverFirst, r.floor))} | ${verdict(x(r.serverFirst, r.floor), 0.7)} |`);
      lines.push(`| --no-cache ≤ 0.6× floor (embedded) | ${r.id} | ${fx(x(r.noCache, r.floor))} | ${verdict(x(r.noCache, r.floor), 0.6)} |`);
      lines.push(`| warm PR ≤ 3 s (embedded) | ${r.id} | ${s(r.warmPr)} | ${verdict(r.warmPr?.seconds, 3)} |`);
      lines.push(`| warm PR ≤ 3 s (server) | ${r.id} | ${s(r.serverWarmPr)} | ${verdict(r.serverWarmPr?.seconds, 3)} |`);
      const peak = Math.max(r.first.mb, r.noCache.mb);
      lines.push(`| peak memory ≤ 500 MB (embedded) | ${r.id} | ${peak.toFixed(0)} MB | ${verdict(peak, 500)} |`);
    }
  }
  if (extras.lint) {
    const over = extras.lint.withLint.seconds / extras.lint.without.seconds - 1;
    lines.push(`| lint of the new migrations ≤ 15% | chain, ${L_TABLES} tables, ${extras.lint.newest} new, --no-cache | ${s(extras.lint.withLint)} vs ${s(extras.lint.without)} with --no-lint (${(over * 100).toFixed(0)}%) | ${verdict(over, 0.15)} |`);
  }
  lines.push('');
  if (extras.setup) lines.push(`Setup-order side (the demo, --no-cache): ${s(extras.setup.withSetup)} with it, ${s(extras.setup.without)} without (\`"orderFile": false\`).`, '');
  if (extras.launcher) lines.push(`Launcher in a fresh checkout: ${extras.launcher.first.seconds.toFixed(2)} s for the first \`verify-schema --version\` (builds dist/), ${extras.launcher.second.seconds.toFixed(2)} s for the next.`, '');
  lines.push('How each warm run was served (the report\'s `cache`):', '');
  for (const r of results) for (const k of ['warmMigration', 'warmPr', 'serverWarmPr']) if (r[k]) lines.push(`- ${r.id}, ${r[k].label}: \`${JSON.stringify(r[k].cache)}\``);
  lines.push('', 'Where the time of the last warm PR run went (VERIFY_SCHEMA_TRACE=1; milliseconds since the process started its code):', '');
  for (const r of results) for (const k of ['warmPr', 'serverWarmPr']) if (r[k]?.trace) lines.push(`${r.id}, ${r[k].label}:`, '', '```', r[k].trace, '```', '');
  lines.push('', 'Every run (seconds):', '');
  for (const r of results) for (const k of ['first', 'noCache', 'serverFirst', 'serverNoCache', 'floor', 'rerun', 'warmMigration', 'warmPr', 'serverWarmPr']) if (r[k]) lines.push(`- ${r.id}, ${r[k].label}: ${r[k].all.map((v) => v.toFixed(2)).join(', ')}`);
  lines.push('');
  const out = join(ROOT, 'BENCHMARKS.results.md');
  writeFileSync(out, lines.join('\n'));
  if (done) console.log(`\n${lines.join('\n')}\nwritten to ${out}`);
}

// ---- run everything ----
const all = projects();
// Initialise the engine template once (an un-timed run), as it is after the first run on a machine.
verify(all[0] ?? { reference: [join(ROOT, 'db/schema')], baseline: [], migrations: [join(ROOT, 'db/migration')] }, ['--no-cache'], templateCache);
const results = [];
const extras = {};
try {
  // The results so far are written after each project: a run stopped late still leaves what it measured.
  for (const p of all) {
    results.push(measureProject(p));
    writeResults(false);
  }
  if (EXTRAS.includes('setup')) extras.setup = setupCost();
  if (EXTRAS.includes('lint')) extras.lint = lintOverhead();
  if (EXTRAS.includes('launcher')) extras.launcher = launcherBuild();
} finally {
  if (serverReachable) {
    // Checkpoint databases of this run's projects (their files are as generated again), then the scratch roles they kept.
    for (const p of all) dropCheckpoints(p);
    const scratchLeft = psql('-Atc', `SELECT count(*) FROM pg_database WHERE datname LIKE 'verify\\_schema\\_%'`).trim() !== '0';
    if (!scratchLeft) {
      const roles = psql('-Atc', `SELECT rolname FROM pg_roles WHERE shobj_description(oid, 'pg_authid') LIKE 'verify-schema scratch role%'`).split('\n').filter(Boolean);
      for (const role of roles) psql('-qc', `DROP ROLE IF EXISTS "${role}"`);
    }
  }
}
writeResults(true);
rmSync(work, { recursive: true, force: true });

