import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../src/report/finding.js';
import { formatGithub } from '../src/report/format-github.js';

const at = (file: string, line: number) => ({ file, line, column: 1, endLine: line });

function finding(i: number, extra: Partial<Finding> = {}): Finding {
  return {
    code: 'column-changed',
    severity: 'error',
    kind: 'column',
    change: 'changed',
    object: `public.t.c${i}`,
    message: `column public.t.c${i} differs`,
    details: {},
    location: at('db/schema/tables.sql', i),
    migrationLocation: at(`db/migration/V${i}__c.sql`, 2),
    ...extra,
  };
}

function report(findings: Finding[], newMigrations?: string[]): Report {
  return {
    version: 1,
    ok: false,
    engine: { name: 'pglite', version: '18' },
    sides: ['reference', 'migrations'],
    inputs: { reference: ['db/schema/tables.sql'], baseline: [], migrations: findings.map((_, i) => `db/migration/V${i}__c.sql`) },
    findings,
    warnings: [],
    summary: { total: findings.length, errors: findings.length, warnings: 0, byKind: {}, durationMs: 1 },
    ...(newMigrations ? { lint: { linted: newMigrations, baseRef: 'origin/main' } } : {}),
  };
}

const annotationsOf = (text: string) => text.split('\n').filter((line) => line.startsWith('::'));

describe('GitHub annotations', () => {
  it('one annotation per finding: on the reference, or on the pull request’s new migration when the finding is there', () => {
    const lines = annotationsOf(formatGithub(report([finding(1), finding(2), finding(3, { location: undefined })], ['db/migration/V2__c.sql'])));
    expect(lines).toEqual([
      '::error file=db/schema/tables.sql,line=1,endLine=1,col=1,title=column-changed%3A public.t.c1::column public.t.c1 differs%0A(migrations: db/migration/V1__c.sql:2)',
      '::error file=db/migration/V2__c.sql,line=2,endLine=2,col=1,title=column-changed%3A public.t.c2::column public.t.c2 differs%0A(reference: db/schema/tables.sql:2)',
      '::error file=db/migration/V3__c.sql,line=2,endLine=2,col=1,title=column-changed%3A public.t.c3::column public.t.c3 differs',
    ]);
  });

  it('beyond 10 of a level: the first 9, then one annotation that says how many more and where the full report is', () => {
    const findings = [...Array.from({ length: 14 }, (_, i) => finding(i + 1)), ...Array.from({ length: 3 }, (_, i) => finding(20 + i, { severity: 'warning', code: 'index-duplicate' }))];
    const lines = annotationsOf(formatGithub(report(findings)));
    const errors = lines.filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(10);
    expect(errors.slice(0, 9).map((l) => /title=column-changed%3A (\S+)::/.exec(l)?.[1])).toEqual(Array.from({ length: 9 }, (_, i) => `public.t.c${i + 1}`));
    expect(errors[9]).toBe(
      '::error title=verify-schema%3A 5 more errors::5 more errors are not annotated (GitHub shows at most 10 per step): public.t.c10, public.t.c11, public.t.c12, public.t.c13, public.t.c14. The full report is in the job summary and in the log of this step.',
    );
    // Warnings have their own limit: 3 are all shown.
    expect(lines.filter((l) => l.startsWith('::warning'))).toHaveLength(3);
    // The log's text report still lists every finding.
    expect(formatGithub(report(findings))).toContain('public.t.c14');
  });

  it('exactly 10 of a level are all annotated', () => {
    expect(annotationsOf(formatGithub(report(Array.from({ length: 10 }, (_, i) => finding(i + 1)))))).toHaveLength(10);
  });
});
