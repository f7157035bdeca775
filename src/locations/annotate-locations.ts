import type { Finding } from '../report/finding.js';
import type { SourceLocator } from './source-locator.js';

/**
 * Adds where each finding comes from: the reference statement for what the reference has (missing, changed),
 * the migration statement for what the migrations produce (extra, changed). Findings that already carry a
 * location (from rules that know better) keep it.
 */
export function annotateLocations(findings: Finding[], reference: SourceLocator, migrations: SourceLocator): Finding[] {
  return findings.map((f) => {
    const referenceSide = f.change !== 'extra';
    const migrationSide = f.change !== 'missing';
    const location = f.location ?? (referenceSide ? reference.find(f.kind, f.object, f.table) : undefined);
    const migrationLocation = f.migrationLocation ?? (migrationSide ? migrations.find(f.kind, f.object, f.table) : undefined);
    return { ...f, ...(location ? { location } : {}), ...(migrationLocation ? { migrationLocation } : {}) };
  });
}
