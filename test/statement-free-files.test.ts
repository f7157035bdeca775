import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/finding.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

/**
 * A file with no SQL statement — 0 bytes, only whitespace, only comments or semicolons — is one kind of
 * input whatever it looks like: a one-line note naming it (text `note:`, JSON `warnings`), and the run goes on.
 */
describe('statement-free files', () => {
  it('are each named in one note, on both sides, and the run goes on (real Postgres)', async () => {
    const dir = tempDir('vs-statement-free-');
    const files: Record<string, string> = {
      'ref/01_tables.sql': 'CREATE TABLE t (id int);\n',
      'ref/02_empty.sql': '',
      'ref/03_blank.sql': '  \n\t\n',
      'mig/V1__t.sql': 'CREATE TABLE t (id int);\n',
      'mig/V2__empty.sql': '',
      'mig/V3__comment.sql': '-- nothing to do here yet\n/* still nothing */\n;\n',
      'mig/V4__after.sql': 'ALTER TABLE t ADD COLUMN a int;\n',
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const result = await runCli(['--reference', 'ref', '--migrations', 'mig', '--no-cache', '--format', 'json', '--output', 'report.json', '--format', 'text'], { cwd: dir });
    expect(result.stderr).toBe('');
    const statementFree = ['ref/02_empty.sql', 'ref/03_blank.sql', 'mig/V2__empty.sql', 'mig/V3__comment.sql'];
    const notes = result.stdout.split('\n').filter((l) => l.includes('no SQL statements'));
    expect(notes).toEqual(statementFree.map((f) => `note: ${f}: no SQL statements (empty, or only whitespace and comments); nothing was applied from it`));
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(report.warnings.filter((w) => w.includes('no SQL statements'))).toEqual(statementFree.map((f) => `${f}: no SQL statements (empty, or only whitespace and comments); nothing was applied from it`));
    // The files after them were applied: the column V4 adds is drift against the reference.
    expect(report.findings.map((f) => `${f.code} ${f.object}`)).toEqual(['column-extra public.t.a']);
    expect(result.exitCode).toBe(1);
  });
});
