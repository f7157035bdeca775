import { diffCatalogs } from '../../diff/diff-catalogs.js';
import { listCheckedObjects } from '../../report/checked-objects.js';
import type { SideName } from '../../report/side-words.js';
import type { Finding } from '../../report/finding.js';
import type { Step } from '../step.js';

/** Drift: the reference's catalog against the other side's (the migrations, or a live database). */
export function diffStep(other: Exclude<SideName, 'reference'>): Step {
  return {
    name: 'diff',
    needs: 'catalogs',
    run: ({ sides, options, inputs }) => {
      const reference = sides.get('reference')!.catalog;
      const compared = sides.get(other)!.catalog;
      return {
        findings: withoutToolTables(diffCatalogs(reference, compared, { strictColumnOrder: options.strictColumnOrder, other }), inputs.toolTables),
        checked: listCheckedObjects(reference, compared),
      };
    },
  };
}

/** The migration tool's own bookkeeping tables (dbmate's schema_migrations) are in its dumps but never in the migrations. */
function withoutToolTables(findings: Finding[], toolTables: string[]): Finding[] {
  if (toolTables.length === 0) return findings;
  return findings.filter((f) => !toolTables.some((t) => f.table === t || f.object === t || f.object.startsWith(`${t}.`)));
}
