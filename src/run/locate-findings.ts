import { quoteIdentIfNeeded } from '../catalog/catalog-object.js';
import type { Finding } from '../report/finding.js';
import type { SideName } from '../report/side-words.js';
import type { BuiltSide } from './sides/built-side.js';

/**
 * Adds where each finding comes from: the reference statement for what the reference has (missing, changed),
 * the migration statement for what the migrations produce (extra, changed); a redundant index on the sides it
 * was found on. A live database has no source, so against one every finding points into the reference: the
 * object's statement, else its table's (where a reviewer would add what the live database has). Findings that
 * already carry a location (from steps that know better) keep it. A changed object is located at the
 * statements that set the attributes that differ; a renamed one at the statement that made it under each
 * side's own name.
 */
export function locateFindings(findings: Finding[], sides: Map<SideName, BuiltSide>): Finding[] {
  const reference = sides.get('reference')?.locator;
  const migrations = sides.get('migrations')?.locator;
  const againstLive = sides.has('live');
  return findings.map((f) => {
    // A setup-side finding is located by its step (the reference statement, and the script's line in its details).
    if (f.side === 'setup') return f;
    const foundOn = f.change === 'redundant' ? ((f.details.sides as SideName[] | undefined) ?? []) : undefined;
    const onReference = againstLive || (foundOn ? foundOn.includes('reference') : f.change !== 'extra');
    const onMigrations = foundOn ? foundOn.includes('migrations') : f.change !== 'missing';
    const attributes = f.change === 'changed' ? Object.keys(f.details) : undefined;
    const location = f.location ?? (onReference ? reference?.find(f.kind, f.object, f.table, attributes) : undefined);
    const migrationLocation = f.migrationLocation ?? (onMigrations ? migrations?.find(f.kind, migrationsKey(f), f.table, attributes) : undefined);
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
