import type { VerifyOptions } from '../../options.js';
import type { Report } from '../../report/finding.js';
import { summarize } from '../../report/summarize.js';
import { passes, verifySchema } from '../../verify.js';
import { REDUNDANT_INDEX_CODES } from './registry.js';

/**
 * `verify-schema redundant-indexes`: the normal run, keeping only the redundant-index findings, so the command
 * and the normal report cannot disagree (same inputs, same rules, same severities). Drift between the sides is
 * not this command's concern and does not fail it.
 */
export async function checkRedundantIndexes(options: VerifyOptions): Promise<Report> {
  const report = await verifySchema(options);
  const findings = report.findings.filter((f) => REDUNDANT_INDEX_CODES.includes(f.code));
  return { ...report, ok: passes(findings, options.failOn ?? 'error'), findings, summary: summarize(findings, report.summary.durationMs) };
}
