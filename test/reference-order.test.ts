import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReferenceOrder } from '../src/rules/reference-order/reference-order.js';
import { verifySchema } from '../src/run/pipelines.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

/** A reference folder with these files (each a trivial statement) below `root`. */
function referenceFolder(root: string, files: string[]): string[] {
  const ref = join(root, 'ref');
  for (const f of files) {
    mkdirSync(join(ref, f, '..'), { recursive: true });
    writeFileSync(join(ref, f), 'SELECT 1;\n');
  }
  return files.map((f) => join(ref, f));
}

const summary = (findings: Array<{ code: string; object: string; location?: { file: string; line: number } }>) => findings.map((x) => [x.code, x.object, x.location?.file, x.location?.line]);

describe('reference order file', () => {
  it('a plain list: reports reference files it leaves out and listed files that do not exist', async () => {
    const temp = tempDir('verify-schema-order-');
    const reference = referenceFolder(temp, ['01_tables/01_core.sql', '01_tables/02_integrations.sql', '05_rls.sql']);
    // The guide's quick-setup list: written before 02_integrations.sql existed, and still naming an old file.
    writeFileSync(join(temp, 'ref', 'order.txt'), '# quick setup order\n01_tables/01_core.sql\r\n\n01_tables/integrations.sql\n05_rls.sql\n');
    const result = await checkReferenceOrder({ orderFile: 'ref/order.txt', reference, cwd: temp });
    expect(summary(result.findings)).toEqual([
      ['reference-file-unlisted', 'ref/01_tables/02_integrations.sql', 'ref/01_tables/02_integrations.sql', 1],
      ['reference-file-not-found', 'ref/01_tables/integrations.sql', 'ref/order.txt', 4],
    ]);
    expect(result.checked).toHaveLength(4);
    await expect(checkReferenceOrder({ orderFile: 'ref/nope.txt', reference, cwd: temp })).rejects.toThrow('order file ref/nope.txt does not exist');
  });

  it('resolves a path next to the order file first, then in the reference folders; expands globs in sorted order', async () => {
    const temp = tempDir('verify-schema-order-');
    const reference = referenceFolder(temp, ['01_tables/b.sql', '01_tables/a.sql', '02_x.sql']);
    mkdirSync(join(temp, 'scripts'));
    // In scripts/, not in ref/: paths relative to the script's folder fail, relative to the reference folder work.
    writeFileSync(join(temp, 'scripts', 'setup.sh'), 'for f in 01_tables/*.sql; do psql -f "$f"; done\npsql -f 02_x.sql\n');
    const debug: string[] = [];
    const result = await checkReferenceOrder({ orderFile: 'scripts/setup.sh', reference, referenceRoots: ['ref'], cwd: temp, onDebug: (m) => debug.push(m) });
    expect(result.findings).toEqual([]);
    expect(result.order!.files.map((f) => [f.written, f.file.slice(temp.length + 1), f.line])).toEqual([
      ['01_tables/*.sql', 'ref/01_tables/a.sql', 1],
      ['01_tables/*.sql', 'ref/01_tables/b.sql', 1],
      ['02_x.sql', 'ref/02_x.sql', 2],
    ]);
    expect(debug.join('\n')).toContain('order file scripts/setup.sh read as a shell script: 3 .sql paths');
  });

  it('finds a setup script in a reference folder when none is configured, says so, and is turned off by false', async () => {
    const temp = tempDir('verify-schema-order-');
    const reference = referenceFolder(temp, ['a.sql', 'b.sql']);
    // A README whose only code block is not a setup script is just a README.
    writeFileSync(join(temp, 'ref', 'README.md'), '# Schema\n\n```sql\nSELECT 1;\n```\n');
    writeFileSync(join(temp, 'Makefile'), 'db:\n\tpsql -f ref/a.sql\n');
    const found = await checkReferenceOrder({ reference, referenceRoots: ['ref'], cwd: temp });
    expect(found.order?.path).toBe(join(temp, 'Makefile'));
    expect(found.warnings).toEqual(['checking the reference against the setup order in Makefile, found with the reference files (set "orderFile" to name another file, or to false to turn this off)']);
    expect(summary(found.findings)).toEqual([['reference-file-unlisted', 'ref/b.sql', 'ref/b.sql', 1]]);
    const off = await checkReferenceOrder({ orderFile: false, reference, referenceRoots: ['ref'], cwd: temp });
    expect(off).toMatchObject({ findings: [], warnings: [] });
    expect(off.order).toBeUndefined();
  });

  it('an order file from which no .sql path can be read is refused with one line (exit 2)', async () => {
    const temp = tempDir('verify-schema-order-');
    referenceFolder(temp, ['a.sql']);
    mkdirSync(join(temp, 'mig'));
    writeFileSync(join(temp, 'mig', 'V1__a.sql'), 'SELECT 1;\n');
    writeFileSync(join(temp, 'NOTES.md'), '# Notes\n\nRun the files in `ref/` in order.\n\n```\npsql -f ref/a.sql\n```\n');
    const result = await runCli(['--reference', 'ref', '--migrations', 'mig', '--order-file', 'NOTES.md', '--no-cache'], { cwd: temp });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'verify-schema: error: order file NOTES.md: no .sql path could be read from it as Markdown (its shell/SQL code blocks); it should run each reference file (psql -f FILE, \\i FILE, a bash array of paths) or list one path per line (run with --debug to see what was skipped)\n',
    );
  });
});

describe('the demo', () => {
  const ROOT = join(import.meta.dirname, '..');
  it('--order-file db/schema/README.md: the README runs every reference file in an order that builds the reference (no order or setup finding)', async () => {
    const named = await runCli(['--order-file', 'db/schema/README.md', '--format', 'json', '--no-cache'], { cwd: ROOT });
    expect(named.stderr).toBe('');
    const report = JSON.parse(named.stdout) as { findings: Array<{ code: string; object: string }>; warnings: string[]; checked: Array<{ kind: string }> };
    // Nothing from the order file or the setup side: the demo's only finding is its redundant entity_id index
    // (a warning on both sides, not an order problem).
    expect(report.findings.map((f) => `${f.code} ${f.object}`)).toEqual([
      'index-covered-by-constraint public.idx_entity_attribute_provenance_entity',
    ]);
    expect(named.exitCode).toBe(0);
    // Named, not found: no note; every reference file checked against it.
    expect(report.warnings.some((w) => w.includes('setup order'))).toBe(false);
    expect(report.checked.filter((c) => c.kind === 'reference-file')).toHaveLength(10);
  });
});

describe('the setup side when the script runs the reference files in their own order', () => {
  /**
   * Runs the check of reference files making tables a and b (and migrations that make the same), with an
   * order file listing them as they are sorted; returns the findings and the sides that applied files.
   */
  async function check(files: Record<string, string>, cacheDir?: string) {
    const temp = cacheDir ? join(cacheDir, 'project') : tempDir('verify-schema-same-order-');
    for (const [name, sql] of Object.entries(files)) {
      mkdirSync(join(temp, 'ref'), { recursive: true });
      mkdirSync(join(temp, 'mig'), { recursive: true });
      writeFileSync(join(temp, 'ref', name), sql);
    }
    writeFileSync(join(temp, 'mig', 'V1__all.sql'), 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);\n');
    writeFileSync(join(temp, 'order.txt'), Object.keys(files).map((f) => `ref/${f}`).join('\n'));
    const applying = new Set<string>();
    const report = await verifySchema({ reference: ['ref'], migrations: ['mig'], orderFile: 'order.txt', cwd: temp, ...(cacheDir ? { cacheDir } : { cache: false }), onProgress: (e) => e.phase === 'apply' && applying.add(e.side) });
    return { findings: report.findings.map((f) => `${f.code} ${f.object}`), applying: [...applying].sort() };
  }

  it('takes the reference side\'s catalog when every statement ran where it stands, first time; runs the script when one had to wait', async () => {
    // In order: the script would build exactly the reference side's database, so no third database is started.
    expect(await check({ '01_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n', '02_b.sql': 'CREATE TABLE b (a_id int REFERENCES a);\n' })).toEqual({ findings: [], applying: ['migrations', 'reference'] });
    // 01 needs what 02 makes: the reference side applies it after 02, the script cannot — it is run, and stops there.
    const waited = await check({ '01_b.sql': 'CREATE TABLE b (a_id int REFERENCES a);\n', '02_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n' });
    expect(waited.applying).toEqual(['migrations', 'reference', 'setup']);
    expect(waited.findings).toEqual([expect.stringMatching(/^setup-failed /)]);
    // With the cache, the setup side's catalog is saved under its own key too: the next run starts no database.
    const cacheDir = tempDir('verify-schema-same-order-cache-');
    const inOrder = { '01_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n', '02_b.sql': 'CREATE TABLE b (a_id int REFERENCES a);\n' };
    expect(await check(inOrder, cacheDir)).toEqual({ findings: [], applying: ['migrations', 'reference'] });
    expect(await check(inOrder, cacheDir)).toEqual({ findings: [], applying: [] });
  });
});
