import type { CheckedObject, Finding, Report, SideSourceInfo } from './finding.js';
import { applyIgnoreRules, type IgnoreRule } from './ignore.js';
import { markIgnored } from './checked-objects.js';
import type { SideName } from './side-words.js';
import { summarize } from './summarize.js';

export type FailOn = 'error' | 'warning' | 'never';

/** Everything a run found, before the configuration has its say. */
export interface ReportParts {
  sides: SideName[];
  engine: Report['engine'];
  inputs: Report['inputs'];
  findings: Finding[];
  warnings: string[];
  /** Absent when nothing enumerates what was checked. */
  checked?: CheckedObject[];
  cache?: { reference: SideSourceInfo; migrations: SideSourceInfo };
  lint?: Report['lint'];
  durationMs: number;
}

export interface ReportPolicy {
  ignore?: IgnoreRule[];
  severity?: Record<string, Finding['severity']>;
  failOn?: FailOn;
}

/**
 * The one place a Report is made, for every entry point: drop what the ignore rules name (counted in the
 * summary, marked in `checked`), apply the configured severities, summarise, and decide `ok`.
 */
export function buildReport(parts: ReportParts, policy: ReportPolicy): Report {
  const { findings: kept, ignored } = applyIgnoreRules(parts.findings, policy.ignore);
  const overrides = policy.severity ?? {};
  const findings = kept.map((f) => (overrides[f.code] ? { ...f, severity: overrides[f.code] } : f));
  return {
    version: 1,
    ok: passes(findings, policy.failOn ?? 'error'),
    sides: parts.sides,
    engine: parts.engine,
    inputs: parts.inputs,
    findings,
    warnings: parts.warnings,
    summary: { ...summarize(findings, parts.durationMs), ...(ignored.length ? { ignored: ignored.length } : {}) },
    ...(parts.checked ? { checked: markIgnored(parts.checked, ignored) } : {}),
    ...(parts.cache ? { cache: parts.cache } : {}),
    ...(parts.lint ? { lint: parts.lint } : {}),
  };
}

/** Whether the findings pass the gate: none at or above `failOn`. */
export function passes(findings: Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return true;
  return !findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
}

export const EXIT_OK = 0;
export const EXIT_DRIFT = 1;
export const EXIT_CANNOT_VERIFY = 2;

/** The process exit code for a report (a run that could not verify throws instead, exit 2). */
export function reportExitCode(report: Report): number {
  return report.ok ? EXIT_OK : EXIT_DRIFT;
}
