import type { Finding, Report, Severity, SourceLocation } from './finding.js';
import { formatText } from './format-text.js';

const COMMANDS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** GitHub shows at most this many annotations of one level (error, warning, notice) per step and drops the rest. */
const ANNOTATIONS_PER_LEVEL = 10;
/** Objects named in the summary annotation of the ones not annotated. */
const NAMED_IN_SUMMARY = 5;

interface Annotation {
  level: string;
  properties: Record<string, string | number>;
  message: string;
  /** What it is about, for the summary annotation. */
  object: string;
}

/**
 * GitHub Actions workflow commands: one annotation per finding, at the side a reviewer edits (see
 * annotationSide), naming the other side's line in its message. GitHub shows 10 annotations of each level
 * per step and silently drops the rest, so beyond 10 the first 9 are shown and a tenth says how many more
 * there are and where the full report is. The runner hides the commands from the log, so the plain text
 * report (every finding) follows for whoever reads the log.
 */
export function formatGithub(report: Report): string {
  const all: Annotation[] = [
    ...report.warnings.map((w) => ({ level: 'warning', properties: { title: 'verify-schema' }, message: w, object: 'warning' })),
    ...report.findings.map((f) => annotation(f, newMigrations(report))),
  ];
  const hidden = new Set<Annotation>();
  const summaries: string[] = [];
  for (const level of ['error', 'warning', 'notice']) {
    const ofLevel = all.filter((a) => a.level === level);
    if (ofLevel.length <= ANNOTATIONS_PER_LEVEL) continue;
    const rest = ofLevel.slice(ANNOTATIONS_PER_LEVEL - 1);
    for (const a of rest) hidden.add(a);
    summaries.push(summaryCommand(level, rest));
  }
  const out = [...all.filter((a) => !hidden.has(a)).map((a) => command(a.level, a.properties, a.message)), ...summaries];
  return `${out.join('\n')}${out.length ? '\n' : ''}${formatText(report, { color: false })}`;
}

/** The migrations new in this pull request (new since the base revision the lint compared with). */
function newMigrations(report: Report): Set<string> {
  return new Set(report.lint?.baseRef ? report.lint.linted : []);
}

/**
 * Where a reviewer acts on a finding: the pull request's new migration when the migrations side is one (the
 * change under review made the drift), else the reference (the migrations already ran somewhere and are not
 * edited); the migration when the finding has no reference line (e.g. an object only the migrations make).
 */
function annotation(f: Finding, added: Set<string>): Annotation {
  const level = COMMANDS[f.severity] ?? 'error';
  const title = `${f.code}: ${f.object}`;
  const onMigration = f.migrationLocation && (!f.location || added.has(f.migrationLocation.file));
  const [at, other, otherSide]: [SourceLocation | undefined, SourceLocation | undefined, string] = onMigration
    ? [f.migrationLocation, f.location, 'reference']
    : [f.location, f.migrationLocation, 'migrations'];
  const seeAlso = at && other ? `\n(${otherSide}: ${other.file}:${other.line})` : '';
  const where: Record<string, string | number> = at ? { file: at.file, line: at.line, endLine: at.endLine, col: at.column } : {};
  return { level, properties: { ...where, title }, message: `${f.message}${seeAlso}`, object: f.object };
}

function summaryCommand(level: string, rest: Annotation[]): string {
  const noun = `${level}${rest.length === 1 ? '' : 's'}`;
  const named = rest.slice(0, NAMED_IN_SUMMARY).map((a) => a.object).join(', ');
  const more = rest.length > NAMED_IN_SUMMARY ? ', …' : '';
  return command(
    level,
    { title: `verify-schema: ${rest.length} more ${noun}` },
    `${rest.length} more ${noun} ${rest.length === 1 ? 'is' : 'are'} not annotated (GitHub shows at most ${ANNOTATIONS_PER_LEVEL} per step): ${named}${more}. The full report is in the job summary and in the log of this step.`,
  );
}

function command(name: string, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/** The runner's escaping (toolkit's command.ts): data escapes %, CR, LF; properties also `:` and `,`. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
