import type { CheckedObject, Finding, Report } from './finding.js';

/**
 * JUnit XML for CI test dashboards: one test suite per object kind, one test case per object checked (from
 * `report.checked`, so objects without drift show as passing). An error finding is a <failure>; warnings and
 * infos go to <system-out> (they do not fail the gate unless failOn says so, and JUnit has no "warning").
 * Children of a table that is missing or extra as a whole fail with the table. Ignored objects are <skipped>.
 */
export function formatJunit(report: Report): string {
  const cases = new Map<string, { checked: CheckedObject; findings: Finding[] }>();
  const keyOf = (kind: string, object: string) => `${kind}\0${object}`;
  for (const c of report.checked ?? []) cases.set(keyOf(c.kind, c.object), { checked: c, findings: [] });
  for (const f of report.findings) {
    const key = keyOf(f.kind, f.object);
    if (!cases.has(key)) cases.set(key, { checked: { kind: f.kind, object: f.object, ...(f.table ? { table: f.table } : {}) }, findings: [] });
    cases.get(key)!.findings.push(f);
  }
  const wholeTables = new Map(report.findings.filter((f) => f.kind === 'table' && (f.change === 'missing' || f.change === 'extra')).map((f) => [f.object, f]));

  const suites = new Map<string, string[]>();
  const totals = { tests: 0, failures: 0, skipped: 0 };
  const perSuite = new Map<string, { tests: number; failures: number; skipped: number }>();
  for (const { checked, findings } of cases.values()) {
    const counts = perSuite.get(checked.kind) ?? { tests: 0, failures: 0, skipped: 0 };
    perSuite.set(checked.kind, counts);
    const errors = findings.filter((f) => f.severity === 'error');
    const parentGone = checked.kind !== 'table' && checked.table ? wholeTables.get(checked.table) : undefined;
    const notes = findings.filter((f) => f.severity !== 'error').map((f) => `${f.severity}: ${f.message}`);
    const body: string[] = [];
    if (errors.length) {
      body.push(`      <failure type="${xml(errors.map((f) => f.code).join(' '))}" message="${xml(errors[0].message)}">${xml(errors.map(failureText).join('\n\n'))}</failure>`);
    } else if (parentGone && parentGone.severity === 'error') {
      body.push(`      <failure type="${xml(parentGone.code)}" message="${xml(`belongs to ${parentGone.object}: ${parentGone.message}`)}"/>`);
    } else if (checked.ignored) {
      body.push('      <skipped message="finding ignored by an ignore rule in the config"/>');
    }
    if (notes.length) body.push(`      <system-out>${xml(notes.join('\n'))}</system-out>`);
    const failed = body.some((l) => l.includes('<failure'));
    const skipped = body.some((l) => l.includes('<skipped'));
    counts.tests++;
    totals.tests++;
    if (failed) (counts.failures++, totals.failures++);
    if (skipped) (counts.skipped++, totals.skipped++);
    const open = `    <testcase classname="verify-schema.${xml(checked.kind)}" name="${xml(checked.object)}"`;
    suites.set(checked.kind, [...(suites.get(checked.kind) ?? []), body.length ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`]);
  }
  const time = (report.summary.durationMs / 1000).toFixed(3);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="verify-schema" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="${time}">`];
  for (const [kind, lines] of suites) {
    const c = perSuite.get(kind)!;
    out.push(`  <testsuite name="${xml(kind)}" tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}">`, ...lines, '  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function failureText(f: Finding): string {
  const where = [f.location && `reference: ${f.location.file}:${f.location.line}`, f.migrationLocation && `migrations: ${f.migrationLocation.file}:${f.migrationLocation.line}`].filter(Boolean).join(', ');
  return `[${f.code}] ${f.message}${where ? `\n${where}` : ''}`;
}

/** Attribute- and text-safe XML; characters XML 1.0 cannot carry are dropped. */
function xml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
