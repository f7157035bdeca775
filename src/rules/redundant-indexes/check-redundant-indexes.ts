import { parseConnectionUrl } from '../../engine/connection-url.js';
import { LIVE_DEFAULT_SCHEMAS, readLiveDatabase } from '../../live.js';
import type { VerifyOptions } from '../../options.js';
import type { Report } from '../../report/finding.js';
import { summarize } from '../../report/summarize.js';
import { finalizeFindings, passes, summarizeWithIgnored, verifySchema } from '../../verify.js';
import { readIndexStats } from './index-stats.js';
import { redundantIndexFindings } from './redundant-index-findings.js';
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

/**
 * `verify-schema redundant-indexes --live URL`: the rules on a running database's catalog, with each index's
 * size and scan count from the statistics views (what a drop would reclaim). Read only, like --live; no
 * reference or migrations are needed.
 */
export async function checkRedundantIndexesLive(options: VerifyOptions & { live: string }): Promise<Report> {
  const started = performance.now();
  const live = parseConnectionUrl(options.live, '--live');
  const { catalog, extra: stats, version } = await readLiveDatabase(live, { schemas: options.schemas ?? LIVE_DEFAULT_SCHEMAS }, readIndexStats);
  const { findings, ignored } = finalizeFindings(redundantIndexFindings({ live: catalog }, { live: stats }), options);
  return {
    version: 1,
    ok: passes(findings, options.failOn ?? 'error'),
    engine: { name: 'server', version },
    inputs: { reference: [], baseline: [], migrations: [], live: live.masked },
    findings,
    warnings: [],
    summary: summarizeWithIgnored(findings, ignored, performance.now() - started),
  };
}
