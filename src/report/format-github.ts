import type { Finding, Report, Severity, SourceLocation } from './finding.js';
import { formatText } from './format-text.js';

const COMMANDS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands: one annotation per finding and side, on the exact lines of the reference
 * statement and of the migration that made the object, so a pull request shows the drift inline. The runner
 * hides the commands from the log, so the plain text report follows for whoever reads the log.
 */
export function formatGithub(report: Report): string {
  const out: string[] = [];
  for (const w of report.warnings) out.push(command('warning', { title: 'verify-schema' }, w));
  for (const f of report.findings) out.push(...annotations(f));
  return `${out.join('\n')}${out.length ? '\n' : ''}${formatText(report, { color: false })}`;
}

function annotations(f: Finding): string[] {
  const level = COMMANDS[f.severity] ?? 'error';
  const title = `${f.code}: ${f.object}`;
  const sides: Array<[string, SourceLocation]> = [];
  if (f.location) sides.push(['reference', f.location]);
  if (f.migrationLocation) sides.push(['migrations', f.migrationLocation]);
  if (sides.length === 0) return [command(level, { title }, f.message)];
  return sides.map(([side, at], i) => {
    const [otherSide, other] = sides[1 - i] ?? [];
    const seeAlso = other ? `\n(${otherSide}: ${other.file}:${other.line})` : '';
    const where = sides.length > 1 ? ` [${side}]` : '';
    return command(level, { file: at.file, line: at.line, endLine: at.endLine, col: at.column, title: `${title}${where}` }, `${f.message}${seeAlso}`);
  });
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
