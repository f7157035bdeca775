import type { CatalogObject } from '../catalog/catalog-object.js';
import type { Change, Finding } from '../report/finding.js';

/** A drift finding about one catalog object; its code is `<kind>-<change>`, e.g. `index-renamed`. */
export function objectFinding(object: CatalogObject, change: Change, message: string, details: Record<string, unknown>): Finding {
  return {
    code: `${object.kind}-${change}`,
    severity: 'error',
    kind: object.kind,
    change,
    object: object.key,
    ...(object.table ? { table: object.table } : {}),
    message,
    details,
  };
}
