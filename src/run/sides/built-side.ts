import type { Catalog } from '../../catalog/catalog-object.js';
import type { ScratchDatabase } from '../../engine/scratch-database.js';
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
  /** The side's scratch database, still open, when the side asked to keep it (ScratchSidePlan.keepOpen); the caller closes it. */
  db?: ScratchDatabase;
  /** The side could not be built, for a reason a step reports as a finding (the setup script stops); its catalog is empty. */
  stopped?: SideStopped;
}

/**
 * Thrown by a side's own apply (ScratchSidePlan.apply) when what it applies cannot be applied and that is a
 * finding rather than a reason to stop the run: the setup script fails where the project's script would.
 */
export class SideStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SideStopped';
  }
}
