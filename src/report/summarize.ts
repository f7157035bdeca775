import type { Finding, Report } from './finding.js';

export function summarize(findings: Finding[], durationMs: number): Report['summary'] {
  const byKind: Record<string, number> = {};
  for (const f of findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  return {
    total: findings.length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    byKind,
    durationMs: Math.round(durationMs),
  };
}
