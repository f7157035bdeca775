import { quoteIdentIfNeeded, type Catalog } from '../../catalog/catalog-object.js';
import type { Finding } from '../../report/finding.js';
import { SIDE_WORDS, type SideName } from '../../report/side-words.js';
import { findRedundantIndexes, type IndexStats, type RedundantIndex } from './find-redundant-indexes.js';

/** Where an index was found redundant: the reference schema, the migrated scratch database, or a live one. */
export type RedundancySide = SideName;

const SIDE_ORDER: RedundancySide[] = ['reference', 'migrations', 'live'];

/**
 * Redundant-index findings for every side given. An index that is redundant, for the same reason, on several
 * sides is one finding listing those sides. Statistics (live only) add what dropping the index reclaims.
 */
export function redundantIndexFindings(sides: Partial<Record<RedundancySide, Catalog>>, stats: Partial<Record<RedundancySide, Map<string, IndexStats>>> = {}): Finding[] {
  const merged = new Map<string, { found: RedundantIndex; sides: RedundancySide[]; stats?: IndexStats }>();
  for (const side of SIDE_ORDER) {
    const catalog = sides[side];
    if (!catalog) continue;
    for (const found of findRedundantIndexes(catalog, { stats: stats[side] })) {
      // Same index, same cover, same definitions: the same finding, wherever it was seen.
      const id = JSON.stringify([found.rule.code, found.index.key, found.index.definition, found.coveredBy.key, found.coveredBy.definition]);
      const entry = merged.get(id);
      if (entry) entry.sides.push(side);
      else merged.set(id, { found, sides: [side] });
      if (found.stats) merged.get(id)!.stats = found.stats;
    }
  }
  return [...merged.values()].map(({ found, sides: where, stats: s }) => toFinding(found, where, s));
}

function toFinding({ index, coveredBy, rule }: RedundantIndex, sides: RedundancySide[], stats?: IndexStats): Finding {
  const suggestion = index.constraint ? `ALTER TABLE ${index.table} DROP CONSTRAINT ${quoteIdentIfNeeded(index.constraint)};` : `DROP INDEX CONCURRENTLY ${index.key};`;
  const dependents = index.foreignKeys.length
    ? `; foreign key${index.foreignKeys.length === 1 ? '' : 's'} ${index.foreignKeys.join(', ')} depend${index.foreignKeys.length === 1 ? 's' : ''} on it: drop and re-create ${index.foreignKeys.length === 1 ? 'it' : 'them'} around the drop`
    : '';
  return {
    code: rule.code,
    severity: 'warning',
    kind: 'index',
    change: 'redundant',
    object: index.key,
    table: index.table,
    message: `${rule.message(index, coveredBy)}${dependents} (found on ${sideWords(sides)})`,
    details: {
      rule: rule.rule,
      sides,
      definition: index.definition,
      coveredBy: { index: coveredBy.key, constraint: coveredBy.constraint, definition: coveredBy.definition },
      ...(index.foreignKeys.length ? { dependentForeignKeys: index.foreignKeys } : {}),
      ...(stats ? { sizeBytes: stats.sizeBytes, scans: stats.scans } : {}),
      suggestion,
      doc: rule.doc,
    },
  };
}

function sideWords(sides: RedundancySide[]): string {
  const words = sides.map((s) => SIDE_WORDS[s].noun);
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
