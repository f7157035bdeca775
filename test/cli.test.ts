import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { progressPrinter } from '../src/cli.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const ROOT = join(import.meta.dirname, '..');

function project(files: Record<string, string | Buffer>): string {
  const dir = tempDir('vs-cli-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Exit 2 with exactly one line (no stack trace) that contains `text`. */
async function expectOneLineError(args: string[], cwd: string, text: string | RegExp) {
  const result = await runCli(args, { cwd });
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text);
}

describe('bad input: one clear line, exit 2', () => {
  it('missing path', async () => {
    const dir = project({ 'ref/a.sql': 'CREATE TABLE t (id int);' });
    await expectOneLineError(['--reference', 'ref', '--migrations', 'nope'], dir, 'verify-schema: error: migrations path nope does not exist; check the path or the config file');
  });

  it('empty migrations folder', async () => {
    const dir = project({ 'ref/a.sql': 'CREATE TABLE t (id int);', 'mig/README.md': '' });
    await expectOneLineError(['--reference', 'ref', '--migrations', 'mig'], dir, 'migrations folder mig has no V<version>__<description>.sql files');
  });

  it('non-UTF-8 file', async () => {
    const dir = project({ 'ref/a.sql': Buffer.from([0x2d, 0x2d, 0x20, 0xe9, 0x0a]), 'mig/V1__a.sql': 'SELECT 1;' });
    await expectOneLineError(['--reference', 'ref', '--migrations', 'mig'], dir, 'ref/a.sql: file is not valid UTF-8');
  });

  it('invalid config: unknown key and bad value name the key', async () => {
    const dir = project({ 'verify-schema.config.json': JSON.stringify({ refrence: ['x'] }) });
    await expectOneLineError([], dir, 'verify-schema.config.json: unknown key "refrence"');
    const bad = project({ 'verify-schema.config.json': JSON.stringify({ reference: ['r'], migrations: ['m'], failOn: 'sometimes' }) });
    await expectOneLineError([], bad, 'verify-schema.config.json: failOn must be one of "error", "warning", "never", not "sometimes"');
    const typo = project({ 'verify-schema.config.json': JSON.stringify({ reference: ['r'], migrations: ['m'], severity: { 'column-chnged': 'warning' } }) });
    await expectOneLineError([], typo, 'verify-schema.config.json: severity.column-chnged: unknown finding code');
    const ignoreTypo = project({ 'verify-schema.config.json': JSON.stringify({ reference: ['r'], migrations: ['m'], ignore: [{ code: 'column-extr' }] }) });
    await expectOneLineError([], ignoreTypo, 'ignore[0].code "column-extr" matches no finding code');
    const broken = project({ 'verify-schema.config.json': '{ "reference": ' });
    await expectOneLineError([], broken, /verify-schema\.config\.json: invalid JSON/);
  });

  it('no inputs at all says what to pass', async () => {
    await expectOneLineError([], project({}), /no migrations found in .*: looked for a migrations folder with a known tool's files \(db\/migration, db\/migrations, migrations, .*\), a \.gmrc, a supabase\/migrations folder, a sqitch\.plan; pass --migrations PATH and --reference PATH/);
  });

  it('unknown flag', async () => {
    await expectOneLineError(['--refrence', 'x'], project({}), /Unknown arguments?: refrence/);
  });
});

describe('config and outputs', () => {
  it('reads paths from the "verifySchema" key of package.json, relative to it, and reports drift with exit 1', async () => {
    const dir = project({
      'package.json': JSON.stringify({ name: 'x', verifySchema: { reference: 'db/ref', migrations: 'db/mig' } }),
      'db/ref/t.sql': 'CREATE TABLE t (id int PRIMARY KEY, name text);',
      'db/mig/V1__t.sql': 'CREATE TABLE t (id int PRIMARY KEY);',
    });
    const result = await runCli(['--format', 'json'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ version: 1, ok: false, engine: { name: 'pglite' }, inputs: { reference: ['db/ref/t.sql'], migrations: ['db/mig/V1__t.sql'] } });
    expect(report.findings.map((f: { code: string; object: string }) => `${f.code} ${f.object}`)).toEqual(['column-missing public.t.name']);
    expect(report.summary).toMatchObject({ total: 1, errors: 1, warnings: 0, byKind: { column: 1 } });
  });

  it('--output writes the report to a file; --fail-on never exits 0 on drift; user files are untouched', async () => {
    const dir = project({ 'ref/t.sql': 'CREATE TABLE t (id int);', 'mig/V1__t.sql': 'CREATE TABLE t (id bigint);' });
    const before = snapshot(dir);
    const result = await runCli(['--reference', 'ref', '--migrations', 'mig', '--output', 'out/report.txt', '--fail-on', 'never'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
    const text = readFileSync(join(dir, 'out', 'report.txt'), 'utf8');
    expect(text).toContain('type: integer (reference) → bigint (migrations)');
    for (const [path, content] of Object.entries(before)) expect(readFileSync(join(dir, path), 'utf8')).toBe(content);
  });

  it('text report: no colour when NO_COLOR is set or output is not a terminal, colour with FORCE_COLOR', async () => {
    const dir = project({ 'ref/t.sql': 'CREATE TABLE t (id int);', 'mig/V1__t.sql': 'CREATE TABLE t (id int, x int);' });
    const plain = await runCli(['--reference', 'ref', '--migrations', 'mig'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout).toContain('public.t\n  ✗ column x extra (produced by the migrations, not in the reference) [column-extra]');
    const colored = await runCli(['--reference', 'ref', '--migrations', 'mig'], { cwd: dir, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(colored.stdout).toContain('\u001b[31m✗\u001b[39m');
  });
});

describe('progress', () => {
  it('shows both sides on one rewritten line once work passes about a second, and clears it', () => {
    let written = '';
    let clock = 0;
    const print = progressPrinter({ write: (s: string) => ((written += s), true) } as unknown as NodeJS.WritableStream, () => clock);
    print({ phase: 'apply', side: 'reference', file: 'ref/a.sql', index: 0, total: 2 });
    expect(written).toBe(''); // under a second: silent
    clock = 1500;
    print({ phase: 'apply', side: 'migrations', file: 'mig/V7__x.sql', index: 6, total: 9 });
    expect(written).toBe('\r\u001b[2Kreference 1/2 ref/a.sql · migrations 7/9 mig/V7__x.sql');
    print({ phase: 'introspect' });
    expect(written.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('is silent when stderr is not a terminal and with --format json', async () => {
    const dir = project({ 'ref/t.sql': 'CREATE TABLE t (id int);', 'mig/V1__t.sql': 'CREATE TABLE t (id int);' });
    const tty = await runCli(['--reference', 'ref', '--migrations', 'mig', '--format', 'json'], { cwd: dir, stderrIsTTY: true });
    expect(tty.stderr).toBe('');
    const plain = await runCli(['--reference', 'ref', '--migrations', 'mig'], { cwd: dir });
    expect(plain.stderr).toBe('');
  });
});

describe('help, version and scope', () => {
  it('--help and --version print and exit 0 without verifying anything', async () => {
    const dir = project({ 'ref/t.sql': 'CREATE TABLE t (id int);', 'mig/V1__t.sql': 'CREATE TABLE t (id bigint);' });
    for (const flag of ['--help', '--version']) {
      const { stdout } = await promisify(execFile)('node', [join(ROOT, 'bin', 'verify-schema.js'), flag, '--reference', 'ref', '--migrations', 'mig'], { cwd: dir });
      expect(stdout).not.toMatch(/✓ no drift:|✗ drift:/);
      expect(stdout).toMatch(flag === '--help' ? /Exit codes: 0 no drift, 1 drift found, 2 could not verify\./ : /^\d+\.\d+\.\d+\n$/);
    }
  });

  it('a --schema that exists on neither side is a note, not a silent pass over nothing', async () => {
    const dir = project({ 'ref/t.sql': 'CREATE TABLE t (id int);', 'mig/V1__t.sql': 'CREATE TABLE t (id int);' });
    const result = await runCli(['--reference', 'ref', '--migrations', 'mig', '--schema', 'pubilc', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(result.stdout).warnings).toContain('schema pubilc (from --schema or "schemas") exists on neither side, so nothing in it was compared; check the name');
  });
});

describe('the installed command', () => {
  it('runs the demo from the repository root with no flags and exits 0', async () => {
    const { stdout } = await promisify(execFile)('node', [join(ROOT, 'bin', 'verify-schema.js')], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    // No drift; the one index the guide missed (entity_id, covered by the UNIQUE constraint) is a warning on both sides.
    expect(stdout).toMatch(/^public\.entity_attribute_provenance\n {2}! index public\.idx_entity_attribute_provenance_entity redundant \[index-covered-by-constraint\]\n/);
    expect(stdout).toContain('(found on the reference and the migrations)');
    // Without --base-ref the history checks that need a base are skipped, with a note saying so.
    expect(stdout).toMatch(/\nnote: migration-history checks against a base revision skipped: pass --base-ref REV/);
    expect(stdout).toMatch(/\n! 1 finding \(1 warning\): reference \(10 files\) vs baseline \(3 files\) \+ flyway migrations \(6 files\)/);
    expect(stdout).not.toContain('✗');
  });

  it('a migration that fails mid-file names its statement, though whole files are sent at once', async () => {
    // Files go to the database in one round trip; a failure is replayed statement by statement to locate it.
    const dir = project({
      'ref/t.sql': 'CREATE TABLE t (id int);',
      'mig/V1__t.sql': 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n-- the next one fails\nALTER TABLE t\n  ADD CONSTRAINT c CHECK (id > 1);\nCREATE INDEX t_id ON t (id);\n',
    });
    const result = await runCli(['--reference', 'ref', '--migrations', 'mig'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'verify-schema: error: mig/V1__t.sql:5:18: migrations side failed: ERROR 23514: check constraint "c" of relation "t" is violated by some row\n5 |   ADD CONSTRAINT c CHECK (id > 1);\n                     ^\n',
    );
  });

  it('reference files that need a later file still apply, statement by statement, and compare equal', async () => {
    const dir = project({
      'ref/01_a.sql': 'CREATE TABLE a (id int PRIMARY KEY, b_id int REFERENCES b (id));\nCREATE INDEX a_b ON a (b_id);\n',
      'ref/02_b.sql': 'CREATE TABLE b (id int PRIMARY KEY);\n',
      'mig/V1__b.sql': 'CREATE TABLE b (id int PRIMARY KEY);\n',
      'mig/V2__a.sql': 'CREATE TABLE a (id int PRIMARY KEY, b_id int REFERENCES b (id));\nCREATE INDEX a_b ON a (b_id);\n',
    });
    const result = await runCli(['--reference', 'ref', '--migrations', 'mig', '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, findings: [] });
  });

  it('SET LOCAL in a reference file means the same whether the file is sent whole or statement by statement', async () => {
    // b.sql's view waits for c.sql, so b.sql is replayed statement by statement; its SET LOCAL must still
    // put the table in schema app, as it does in a.sql, which is sent whole.
    const dir = project({
      'ref/a.sql': 'CREATE SCHEMA app;\nSET LOCAL search_path = app;\nCREATE TABLE t (id int);\n',
      'ref/b.sql': 'SET LOCAL search_path = app;\nCREATE TABLE u (id int);\nCREATE VIEW public.v AS SELECT id FROM public.later;\n',
      'ref/c.sql': 'CREATE TABLE public.later (id int);\n',
      'mig/V1__all.sql': 'CREATE SCHEMA app;\nCREATE TABLE app.t (id int);\nCREATE TABLE app.u (id int);\nCREATE TABLE public.later (id int);\nCREATE VIEW public.v AS SELECT id FROM public.later;\n',
    });
    const result = await runCli(['--reference', 'ref', '--migrations', 'mig', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, findings: [] });
  });

  it('prints a syntax error with file:line:column, the line and a caret, exit 2, no stack trace', async () => {
    const dir = project({ 'ref/t.sql': 'CREATE TABLE t (id int);', 'mig/V1__t.sql': 'CREATE TABLE t (\n  id int,\n);\n' });
    const error = await promisify(execFile)('node', [join(ROOT, 'bin', 'verify-schema.js'), '--reference', 'ref', '--migrations', 'mig'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2, stderr: 'verify-schema: error: mig/V1__t.sql:3:1: syntax error: at or near ")"\n3 | );\n    ^\n' });
  });
});

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = join(rel, name);
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}
