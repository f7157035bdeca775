import { quoteIdentIfNeeded } from '../catalog/catalog-object.js';
import type { Finding } from '../report/finding.js';
import type { SourceLocator } from './source-locator.js';

/**
 * Adds where each finding comes from: the reference statement for what the reference has (missing, changed),
 * the migration statement for what the migrations produce (extra, changed). Findings that already carry a
 * location (from rules that know better) keep it. Redundant indexes are located on the sides they were found on.
 * A changed object is located at the statements that set the attributes that differ; a renamed one at the
 * statement that made it under each side's own name.
 */
export function annotateLocations(findings: Finding[], reference: SourceLocator, migrations: SourceLocator): Finding[] {
  return findings.map((f) => {
    // A redundant index is located on the side(s) it was found on, never on a side that lacks it.
    const sides = f.change === 'redundant' ? ((f.details.sides as string[] | undefined) ?? []) : undefined;
    const referenceSide = sides ? sides.includes('reference') : f.change !== 'extra';
    const migrationSide = sides ? sides.includes('migrations') : f.change !== 'missing';
    const attributes = f.change === 'changed' ? Object.keys(f.details) : undefined;
    const location = f.location ?? (referenceSide ? reference.find(f.kind, f.object, f.table, attributes) : undefined);
    const migrationLocation = f.migrationLocation ?? (migrationSide ? migrations.find(f.kind, migrationsKey(f), f.table, attributes) : undefined);
    return { ...f, ...(location ? { location } : {}), ...(migrationLocation ? { migrationLocation } : {}) };
  });
}

/** The object's key on the migrations side: a renamed object's key ends in the migrations' name instead. */
function migrationsKey(f: Finding): string {
  const names = f.change === 'renamed' ? (f.details.name as { reference?: string; migrations?: string } | undefined) : undefined;
  if (!names?.reference || !names.migrations) return f.object;
  const ending = quoteIdentIfNeeded(names.reference);
  if (!f.object.endsWith(ending)) return f.object;
  return `${f.object.slice(0, f.object.length - ending.length)}${quoteIdentIfNeeded(names.migrations)}`;
}
