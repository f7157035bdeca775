import type { Finding, Report } from './finding.js';

/**
 * The machine-readable report: one JSON document (shape documented in the README). A lint hazard has no
 * reference side, so its statement's place is also given as `location`, the field every consumer reads first.
 */
export function formatJson(report: Report): string {
  return `${JSON.stringify({ ...report, findings: report.findings.map(withHazardLocation) }, null, 2)}\n`;
}

function withHazardLocation(f: Finding): Finding {
  return f.change === 'hazard' && !f.location && f.migrationLocation ? { ...f, location: f.migrationLocation } : f;
}
