// What the lint step costs the check: the generated project (L: 500 tables, ~1,000 migrations by default) in a
// git repository whose base has every migration but the newest, checked with --base-ref (the newest migration
// is linted: applied statement by statement and traced) and with --no-lint, alternately, RUNS times each,
// cold (--no-cache). Prints both medians, the difference and the tracer's own time from VERIFY_SCHEMA_TRACE.
//
// Environment: LINT_BENCH_TABLES (default 500), BENCH_RUNS (default 3), BENCH_DATABASE_URL (server instead of
// the embedded engine).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProject } from './generate-project.mjs';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'verify-schema.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TABLES = Number(process.env.LINT_BENCH_TABLES ?? 500);
const server = process.env.BENCH_DATABASE_URL ? ['--database-url', process.env.BENCH_DATABASE_URL] : [];
const work = mkdtempSync(join(tmpdir(), 'vs-lint-bench-'));

try {
  const p = generateProject(join(work, 'project'), TABLES);
  const git = (...args) => execFileSync('git', args, { cwd: join(work, 'project'), env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' } });
  const newest = readdirSync(p.migrations).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('reset', '-q', join('migrations', newest));
  git('commit', '-q', '-m', 'base');
  const args = [BIN, '--reference', p.reference, '--migrations', p.migrations, '--base-ref', 'main', '--no-cache', '--format', 'json', '--output', join(work, 'report.json'), ...server];
  // Wall time and CPU time (user + system of the process and its PGlite threads; on a shared machine CPU time
  // is the steadier figure), from /usr/bin/time.
  const run = (extra, env = {}) => {
    const result = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S', process.execPath, ...args, ...extra], { cwd: join(work, 'project'), encoding: 'utf8', env: { ...process.env, ...env } });
    if (![0, 1].includes(result.status)) throw new Error(result.stderr.slice(-2000));
    const [wall, user, system] = (result.stderr.split('\n').find((l) => l.startsWith('TIME ')) ?? '').split(' ').slice(1).map(Number);
    return { wall, cpu: user + system, stderr: result.stderr };
  };
  const lint = [];
  const plain = [];
  const tracer = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate, so a slow moment of a shared machine does not land on one configuration only.
    const first = i % 2 === 0;
    if (first) plain.push(run(['--no-lint']));
    const traced = run([], { VERIFY_SCHEMA_TRACE: '1' });
    lint.push(traced);
    tracer.push(Number(/trace queries on \d+ files? \((\d+) ms\)/.exec(traced.stderr)?.[1] ?? NaN) / 1000);
    if (!first) plain.push(run(['--no-lint']));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const line = (label, runs, key) => `${label}: median ${median(runs.map((r) => r[key])).toFixed(2)} s (${runs.map((r) => r[key].toFixed(2)).join(', ')})`;
  console.log(`${TABLES} tables, ${p.migrationCount} migrations, newest linted: ${newest}${server.length ? ' (server)' : ' (embedded)'}, ${RUNS} runs each`);
  console.log(line('wall, without lint', plain, 'wall'));
  console.log(line('wall, with lint   ', lint, 'wall'));
  console.log(line('cpu,  without lint', plain, 'cpu'));
  console.log(line('cpu,  with lint   ', lint, 'cpu'));
  console.log(`tracer's own time (trace queries and rules): median ${median(tracer).toFixed(3)} s (${tracer.map((s) => s.toFixed(3)).join(', ')})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
