import type { Catalog } from '../../catalog/catalog-object.js';
import { indexShapes, keepOrder, type IndexShape } from './index-shape.js';
import type { RedundantIndexRule } from './redundant-index-rule.js';
import { REDUNDANT_INDEX_RULES } from './registry.js';

/** What dropping an index would reclaim, from a live database's statistics views. */
export interface IndexStats {
  sizeBytes: number;
  /** idx_scan since statistics were last reset; null when the server keeps none. */
  scans: number | null;
}

export interface RedundantIndex {
  index: IndexShape;
  /** An index that is kept (never itself reported) and serves everything `index` does. */
  coveredBy: IndexShape;
  rule: RedundantIndexRule;
  stats?: IndexStats;
}

/**
 * The redundant indexes of one catalog, a pure function so it runs the same on the reference side, the
 * migrations side or (given statistics keyed by schema-qualified index name) a live database.
 *
 * "y covers x" (some rule says y serves everything x does) is transitive, so the set of indexes reported can
 * be dropped all together: an index is redundant when another covers it and either it does not cover that one
 * back or, when both cover each other (duplicates), the other comes first in keepOrder. Each redundant index
 * names a cover that is itself kept, chosen by rule precedence, then keepOrder.
 */
export function findRedundantIndexes(catalog: Catalog, options: { stats?: Map<string, IndexStats> } = {}): RedundantIndex[] {
  const byTable = new Map<string, IndexShape[]>();
  for (const shape of indexShapes(catalog)) byTable.set(shape.table, [...(byTable.get(shape.table) ?? []), shape]);
  const found: RedundantIndex[] = [];
  for (const indexes of byTable.values()) {
    const dominates = (y: IndexShape, x: IndexShape) => y !== x && covers(x, y) && (!covers(y, x) || keepOrder(y, x) < 0);
    const kept = indexes.filter((x) => !indexes.some((y) => dominates(y, x)));
    for (const x of indexes) {
      if (kept.includes(x)) continue;
      const candidates = kept.filter((y) => dominates(y, x)).sort(keepOrder);
      const match = firstMatch(x, candidates);
      if (!match) continue; // unreachable: a dominated index always has a kept dominator
      const stats = options.stats?.get(x.key);
      found.push({ index: x, coveredBy: match.covering, rule: match.rule, ...(stats ? { stats } : {}) });
    }
  }
  return found.sort((a, b) => (a.index.key < b.index.key ? -1 : a.index.key > b.index.key ? 1 : 0));
}

/** An invalid index serves no query, so it never covers another (it may itself be covered). */
function covers(x: IndexShape, y: IndexShape): boolean {
  return y.valid && REDUNDANT_INDEX_RULES.some((rule) => rule.covers(x, y));
}

function firstMatch(x: IndexShape, candidates: IndexShape[]): { rule: RedundantIndexRule; covering: IndexShape } | undefined {
  for (const rule of REDUNDANT_INDEX_RULES) {
    const covering = candidates.find((y) => rule.covers(x, y));
    if (covering) return { rule, covering };
  }
  return undefined;
}
