import { InputError } from '../errors.js';
import type { Report } from './finding.js';
import { formatGithub } from './format-github.js';
import { formatJson } from './format-json.js';
import { formatJunit } from './format-junit.js';
import { formatMarkdown } from './format-markdown.js';
import { formatSarif } from './format-sarif.js';
import { formatText } from './format-text.js';

export const REPORT_FORMATS = ['text', 'json', 'github', 'markdown', 'sarif', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(report: Report, format: ReportFormat, options: { color?: boolean } = {}): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'github':
      return formatGithub(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'sarif':
      return formatSarif(report);
    case 'junit':
      return formatJunit(report);
    default:
      return formatText(report, options);
  }
}

/** Where one rendering of the report goes: a file, or stdout when `output` is undefined. */
export interface ReportTarget {
  format: ReportFormat;
  output?: string;
}

export type ReportFlag = { flag: 'format'; value: ReportFormat } | { flag: 'output'; value: string };

/**
 * Pairs --format and --output as written: each --output belongs to the --format just before it, and a
 * --format without an --output prints to stdout (at most one may). A single --format and a single --output
 * pair in any order (`--output r.json --format json`); an --output with no --format uses the default format.
 * So `--format github --format sarif --output r.sarif` prints annotations and writes SARIF to r.sarif.
 */
export function pairReportTargets(flags: ReportFlag[], defaultFormat: ReportFormat): ReportTarget[] {
  const formats = flags.filter((f) => f.flag === 'format');
  const outputs = flags.filter((f) => f.flag === 'output');
  if (formats.length <= 1 && outputs.length <= 1) {
    return [{ format: (formats[0]?.value as ReportFormat | undefined) ?? defaultFormat, ...(outputs[0] ? { output: outputs[0].value } : {}) }];
  }
  const targets: ReportTarget[] = [];
  for (const f of flags) {
    if (f.flag === 'format') targets.push({ format: f.value });
    else if (targets.length && targets[targets.length - 1].output === undefined) targets[targets.length - 1].output = f.value;
    else throw new InputError(`--output ${f.value} has no --format of its own; write each --output right after its --format (e.g. --format sarif --output ${f.value})`);
  }
  const toStdout = targets.filter((t) => t.output === undefined);
  if (toStdout.length > 1) {
    throw new InputError(`--format ${toStdout.map((t) => t.format).join(' and --format ')} both print to stdout; give all but one an --output FILE right after it`);
  }
  return targets;
}

/** The --format/--output flags in the order they were written (yargs keeps each option's values, not their interleaving). */
export function reportFlags(argv: string[]): ReportFlag[] {
  const flags: ReportFlag[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    const m = /^--(format|output)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const value = m[2] ?? argv[++i];
    if (value !== undefined) flags.push({ flag: m[1], value } as ReportFlag);
  }
  return flags;
}
