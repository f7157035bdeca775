import type { Report } from './finding.js';

/** The machine-readable report: one JSON document (shape documented in the README). */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
