import { palette } from './colors.js';
import type { Finding, Report, SourceLocation } from './finding.js';
import { findingParts } from './finding-parts.js';
import { unifiedDiff } from './format-text.js';
import { show } from './show-value.js';
import { otherSide, SIDE_WORDS, type SideWords } from './side-words.js';

const MARKS: Record<string, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };

/**
 * A pull-request comment (and the GitHub step summary): a verdict line, then one table per object kind with
 * where each finding comes from, and definitions and diffs folded in <details> so the comment stays short.
 */
export function formatMarkdown(report: Report): string {
  const s = report.summary;
  const out: string[] = [];
  const counts = [s.errors && `${s.errors} error${s.errors === 1 ? '' : 's'}`, s.warnings && `${s.warnings} warning${s.warnings === 1 ? '' : 's'}`].filter(Boolean).join(', ');
  const verdict = s.total === 0 ? '✅ no drift' : report.ok ? `⚠️ ${s.total} finding${s.total === 1 ? '' : 's'} (${counts})` : `❌ drift: ${s.total} finding${s.total === 1 ? '' : 's'} (${counts})`;
  out.push(`### verify-schema: ${verdict}`, '');
  const other = otherSide(report.sides);
  const ignored = s.ignored ? `, ${s.ignored} ignored by config` : '';
  out.push(`${sidesLine(report)} on ${report.engine.name} ${report.engine.version}${report.checked ? `, ${report.checked.length} objects checked` : ''}${ignored}.`, '');
  for (const w of report.warnings) out.push(`> [!WARNING]`, `> ${cell(w)}`, '');
  const byKind = new Map<string, Finding[]>();
  for (const f of report.findings) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  for (const [kind, findings] of byKind) {
    out.push(`#### ${kind} (${findings.length})`, '', `| | Object | Change | Reference | ${other.title} |`, '|---|---|---|---|---|');
    for (const f of findings) out.push(`| ${MARKS[f.severity] ?? ''} | \`${cell(f.object)}\` | ${cell(f.change)} | ${where(f.location)} | ${where(f.migrationLocation)} |`);
    out.push('');
    for (const f of findings) out.push(...detailsBlock(f, other));
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** `Reference (10 files) vs baseline (3 files) + migrations (6 files)`, or `… vs live database URL`. */
function sidesLine(report: Report): string {
  const i = report.inputs;
  const names = report.sides.map((side) =>
    side === 'reference' ? `reference (${i.reference.length} files)` : side === 'live' ? `live database ${i.live}` : `${i.baseline.length ? `baseline (${i.baseline.length} files) + ` : ''}migrations (${i.migrations.length} files)`,
  );
  const line = names.join(' vs ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}

function where(at?: SourceLocation): string {
  return at ? `\`${cell(at.file)}:${at.line}\`` : '';
}

/** The finding's message plus what a reviewer needs to judge it: changed values, definitions, diffs. */
function detailsBlock(f: Finding, reportSide: SideWords): string[] {
  const other = f.side ? SIDE_WORDS[f.side] : reportSide;
  const body: string[] = [html(f.message)];
  for (const part of findingParts(f, other)) {
    if (part.part === 'diff') {
      body.push('', `${part.label} (− reference, + ${other.name}):`, '', '```diff', ...unifiedDiff(part.reference, part.compared, palette(false), other.name), '```');
    } else if (part.part === 'change') {
      body.push('', `- ${part.label}: \`${show(part.reference)}\` (reference) → \`${show(part.compared)}\` (${other.name})`);
    } else if (part.part === 'object') {
      if (part.definition) body.push('', '```sql', part.definition, '```');
      // No single definition (policies, columns, …): the compared attributes the side that has it gives.
      else for (const { spec, value } of part.attributes) body.push(...(spec.multiline && typeof value === 'string' ? ['', `${spec.label}:`, '', '```sql', value, '```'] : ['', `- ${spec.label}: \`${show(value)}\``]));
    }
  }
  return ['<details>', `<summary><code>${html(f.object)}</code> — ${html(f.code)}</summary>`, '', ...body, '', '</details>', ''];
}

/** Table cells: one line, no unescaped pipes. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
