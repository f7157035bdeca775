import type { Finding } from '../report/finding.js';
import type { SourceLocator } from './source-locator.js';

/**
 * Adds where each finding comes from: the reference statement for what the reference has (missing, changed),
 * the migration statement for what the migrations produce (extra, changed). Findings that already carry a
 * location (from rules that know better) keep it. Redundant indexes are located on the sides they were found on.
 */
export function annotateLocations(findings: Finding[], reference: SourceLocator, migrations: SourceLocator): Finding[] {
  return findings.map((f) => {
    // A redundant index is located on the side(s) it was found on, never on a side that lacks it.
    const sides = f.change === 'redundant' ? ((f.details.sides as string[] | undefined) ?? []) : undefined;
    const referenceSide = sides ? sides.includes('reference') : f.change !== 'extra';
    const migrationSide = sides ? sides.includes('migrations') : f.change !== 'missing';
    const location = f.location ?? (referenceSide ? reference.find(f.kind, f.object, f.table) : undefined);
    const migrationLocation = f.migrationLocation ?? (migrationSide ? migrations.find(f.kind, f.object, f.table) : undefined);
    return { ...f, ...(location ? { location } : {}), ...(migrationLocation ? { migrationLocation } : {}) };
  });
}
