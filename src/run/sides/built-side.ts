import type { Catalog } from '../../catalog/catalog-object.js';
import type { SourceLocator } from '../../locations/source-locator.js';
import type { SideSourceInfo } from '../../report/finding.js';
import type { SideName } from '../../report/side-words.js';
import type { IndexStats } from '../../rules/redundant-indexes/find-redundant-indexes.js';

/** A side once built: its catalog and where its objects were written. */
export interface BuiltSide {
  name: SideName;
  catalog: Catalog;
  /** Finds the statement that made an object; absent for a side without source files (a live database). */
  locator?: SourceLocator;
  /** How the catalog was obtained (cache, checkpoint, scratch); absent for a live database. */
  source?: SideSourceInfo;
  /** Index size and scan counts, read from a live database's statistics when a step wants them. */
  indexStats?: Map<string, IndexStats>;
}
