import type { Severity } from './finding.js';

/** One kind of finding, declared once: SARIF rules, --help, docs links and config validation read it. */
export interface FindingCodeSpec {
  /** Stable identifier, used in `severity` and `ignore` config and as the SARIF rule id. */
  code: string;
  /** One sentence: what a finding with this code means. */
  title: string;
  /** Severity unless the config's `severity` says otherwise. */
  severity: Severity;
  /** Doc page, relative to the package root (shipped with it). */
  doc: string;
}

/** Declares the codes of one check, in its own file; they are listed once in src/report/finding-codes.ts. */
export function defineFindingCodes<const T extends readonly FindingCodeSpec[]>(specs: T): T {
  return specs;
}
