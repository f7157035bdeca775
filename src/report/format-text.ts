import { createTwoFilesPatch } from 'diff';
import { palette, type Palette } from './colors.js';
import type { Finding, Report, SourceLocation } from './finding.js';
import { findingParts } from './finding-parts.js';
import { show } from './show-value.js';
import { otherSide, SIDE_WORDS, type SideWords } from './side-words.js';

/** How a change reads; `other` is the side compared with the reference (the migrations, or a live database). */
function changeWords(change: string, other: SideWords): string {
  if (change === 'missing') return `missing (in the reference, not ${other.has})`;
  if (change === 'extra') return `extra (${other.has}, not in the reference)`;
  return change;
}

/** Human report: findings grouped by table, before/after per attribute, unified diffs of definitions. */
export function formatText(report: Report, options: { color?: boolean } = {}): string {
  const c = palette(options.color ?? false);
  const out: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    // Migration hazards (the lint) read best per migration file, in statement order.
    const group = f.change === 'hazard' ? (f.migrationLocation?.file ?? 'migrations') : (f.table ?? `${f.kind}s`);
    groups.set(group, [...(groups.get(group) ?? []), f]);
  }
  for (const [group, findings] of groups) {
    out.push(c.bold(group));
    for (const f of findings) out.push(...formatFinding(f, c, otherSide(report.sides)));
    out.push('');
  }
  // Notes that are not drift come last, next to the verdict, so the findings lead the report.
  for (const w of report.warnings) out.push(c.yellow(`note: ${w}`));
  out.push(summaryLine(report, c));
  return out.join('\n') + '\n';
}

function formatFinding(f: Finding, c: Palette, reportSide: SideWords): string[] {
  const other = f.side ? SIDE_WORDS[f.side] : reportSide;
  const mark = f.severity === 'error' ? c.red('✗') : f.severity === 'warning' ? c.yellow('!') : c.dim('i');
  if (f.change === 'hazard') {
    const hint = typeof f.details.hint === 'string' ? [`      ${c.dim(`→ ${f.details.hint}`)}`] : [];
    return [`  ${mark} line ${f.migrationLocation?.line ?? '?'}: ${c.bold(f.object)} ${c.dim(`[${f.code}]`)}`, `      ${f.message}`, ...hint];
  }
  const name = f.table && f.object.startsWith(`${f.table}.`) ? f.object.slice(f.table.length + 1) : f.object;
  const lines = [`  ${mark} ${f.kind} ${c.bold(name)} ${changeWords(f.change, other)} ${c.dim(`[${f.code}]`)}`];
  const where = [at('reference', f.location), at('migrations', f.migrationLocation)].filter(Boolean).join(', ');
  if (where) lines.push(`      ${c.dim(where)}`);
  // A finding on the setup side says which line of the setup script runs the file (or that none does).
  if (typeof f.details.script === 'string') lines.push(`      ${c.dim(f.details.script)}`);
  for (const part of findingParts(f, other)) {
    if (part.part === 'diff') {
      lines.push(`      ${part.label}:`);
      lines.push(...unifiedDiff(part.reference, part.compared, c, other.name).map((l) => `        ${l}`));
    } else if (part.part === 'change') {
      lines.push(`      ${part.label}: ${c.green(show(part.reference))} (reference) → ${c.red(show(part.compared))} (${other.name})`);
    } else if (part.part === 'object') {
      const definition = part.definition ?? part.text;
      if (definition) lines.push(...definition.trim().split('\n').map((l) => `      ${c.dim(l)}`));
    } else {
      lines.push(`      ${part.message}`);
      if (part.sizeBytes !== undefined) lines.push(`      ${c.dim(`size ${formatBytes(part.sizeBytes)}, ${part.scans ?? 'unknown'} scans since statistics were reset`)}`);
      if (part.suggestion) lines.push(`      ${c.dim(part.suggestion)}`);
    }
  }
  return lines;
}

function at(side: string, location?: SourceLocation): string {
  return location ? `${side}: ${location.file}:${location.line}` : '';
}

export function unifiedDiff(reference: string, compared: string, c: Palette, other = 'migrations'): string[] {
  const patch = createTwoFilesPatch('reference', other, ensureNewline(reference), ensureNewline(compared), '', '', { context: 3 });
  return patch
    .split('\n')
    // Keep the ---/+++ header lines (which side is which); drop the Index/=== lines and "no newline" notes.
    .filter((l) => l !== '' && !l.startsWith('\\') && !l.startsWith('Index:') && !/^=+$/.test(l))
    .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? c.red(l) : l.startsWith('-') && !l.startsWith('---') ? c.green(l) : l));
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

function summaryLine(report: Report, c: Palette): string {
  const s = report.summary;
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  if (report.lint?.command) return lintSummaryLine(report, c);
  const sides = report.sides
    .map((side) =>
      side === 'reference'
        ? `reference (${files(report.inputs.reference.length)})`
        : side === 'live'
          ? `live database ${report.inputs.live}`
          : `${report.inputs.baseline.length ? `baseline (${files(report.inputs.baseline.length)}) + ` : ''}${report.inputs.migrationFormat ? `${report.inputs.migrationFormat} ` : ''}migrations (${files(report.inputs.migrations.length)})`,
    )
    .join(' vs ');
  const engine = `${report.engine.name} ${report.engine.version}`;
  const time = `${(s.durationMs / 1000).toFixed(1)}s`;
  if (s.total === 0) return c.green(`✓ no drift: ${sides} — ${engine}, ${time}`);
  const counts = [s.errors && `${s.errors} error${s.errors === 1 ? '' : 's'}`, s.warnings && `${s.warnings} warning${s.warnings === 1 ? '' : 's'}`].filter(Boolean).join(', ');
  const verdict = report.ok ? c.yellow(`! ${s.total} finding${s.total === 1 ? '' : 's'} (${counts})`) : c.red(`✗ drift: ${s.total} finding${s.total === 1 ? '' : 's'} (${counts})`);
  return `${verdict}: ${sides} — ${engine}, ${time}`;
}

/** `✗ lint: 3 findings (1 error, 2 warnings): 2 of 6 migrations linted (new since origin/main) — pglite 18, 2.1s` */
function lintSummaryLine(report: Report, c: Palette): string {
  const s = report.summary;
  const lint = report.lint!;
  const info = s.total - s.errors - s.warnings;
  const counts = [s.errors && `${s.errors} error${s.errors === 1 ? '' : 's'}`, s.warnings && `${s.warnings} warning${s.warnings === 1 ? '' : 's'}`, info && `${info} info`].filter(Boolean).join(', ');
  const of = report.inputs.migrations.length;
  const scope = `${lint.linted.length} of ${of} migration${of === 1 ? '' : 's'} linted (${lint.baseRef ? `new or changed since ${lint.baseRef}` : 'all: no base revision'})`;
  const tail = `${scope} — ${report.engine.name} ${report.engine.version}, ${(s.durationMs / 1000).toFixed(1)}s`;
  if (s.total === 0) return c.green(`✓ lint: no hazards: ${tail}`);
  const verdict = `${s.total} finding${s.total === 1 ? '' : 's'} (${counts})`;
  return `${report.ok ? c.yellow(`! lint: ${verdict}`) : c.red(`✗ lint: ${verdict}`)}: ${tail}`;
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
