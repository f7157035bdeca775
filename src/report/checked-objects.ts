import { payloadOf, type Catalog } from '../catalog/catalog-object.js';
import { CATALOG_KINDS } from '../catalog/kinds/index.js';
import type { CheckedObject, Finding } from './finding.js';

/**
 * Every object compared, from both catalogs, in report order (kinds as registered, keys sorted). Indexes
 * that back a constraint are left out, as in the diff: they are checked as that constraint.
 */
export function listCheckedObjects(reference: Catalog, migrations: Catalog): CheckedObject[] {
  const out: CheckedObject[] = [];
  for (const { kind } of CATALOG_KINDS) {
    const objects = new Map([...(migrations.get(kind) ?? []), ...(reference.get(kind) ?? [])]);
    for (const key of [...objects.keys()].sort()) {
      const o = objects.get(key)!;
      if (payloadOf(o, 'index')?.constraint) continue;
      out.push({ kind, object: key, ...(o.table && kind !== 'table' ? { table: o.table } : {}) });
    }
  }
  return out;
}

/** Marks the checked objects whose findings an ignore rule dropped (a migration file: also findings located in it). */
export function markIgnored(checked: CheckedObject[], ignored: Finding[]): CheckedObject[] {
  const keys = new Set(ignored.map((f) => `${f.kind} ${f.object}`));
  for (const f of ignored) if (f.change === 'hazard' && f.migrationLocation) keys.add(`migration ${f.migrationLocation.file}`);
  return checked.map((c) => (keys.has(`${c.kind} ${c.object}`) ? { ...c, ignored: true } : c));
}
