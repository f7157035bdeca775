import type { Catalog, CatalogObject } from '../../catalog/catalog-object.js';
import type { CheckedObject } from '../../report/finding.js';
import type { SideName } from '../../report/side-words.js';
import type { IndexStats } from '../../rules/redundant-indexes/find-redundant-indexes.js';
import { redundantIndexFindings } from '../../rules/redundant-indexes/redundant-index-findings.js';
import type { Step } from '../step.js';

/**
 * Indexes another index or constraint already covers, on every side the run built; an index redundant on
 * several sides is one finding naming them. `checked`: only with `listChecked`, when this step is the run's
 * only check (`redundant-indexes`), the indexes it looked at.
 */
export function redundantIndexesStep(options: { listChecked?: boolean } = {}): Step {
  return {
    name: 'redundant-indexes',
    needs: 'catalogs',
    run: ({ sides }) => {
      const catalogs: Partial<Record<SideName, Catalog>> = {};
      const stats: Partial<Record<SideName, Map<string, IndexStats>>> = {};
      for (const [name, side] of sides) {
        // The setup script's database is a copy of the reference built another way: its indexes are the reference's.
        if (name === 'setup') continue;
        catalogs[name] = side.catalog;
        if (side.indexStats) stats[name] = side.indexStats;
      }
      const findings = redundantIndexFindings(catalogs, stats);
      if (!options.listChecked) return { findings };
      const indexes = new Map<string, CatalogObject>();
      for (const [name, side] of sides) if (name !== 'setup') for (const [key, o] of side.catalog.get('index') ?? []) indexes.set(key, o);
      const checked: CheckedObject[] = [...indexes.keys()].sort().map((key) => ({ kind: 'index', object: key, ...(indexes.get(key)!.table ? { table: indexes.get(key)!.table } : {}) }));
      return { findings, checked };
    },
  };
}
