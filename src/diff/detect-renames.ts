import { quoteIdentIfNeeded, type CatalogKind, type CatalogObject } from '../catalog/catalog-object.js';
import type { Finding } from '../report/finding.js';
import { SIDE_WORDS, type SideWords } from '../report/side-words.js';
import { objectFinding } from './object-finding.js';

export interface RenamePairs {
  renamed: Array<{ reference: CatalogObject; migrations: CatalogObject }>;
  missing: CatalogObject[];
  extra: CatalogObject[];
}

/**
 * Pairs objects missing from the migrations with extra ones of the same kind and table that are the same
 * thing under another name (the kind's renameSignature): `UNIQUE` written inline gets `items_sku_key`
 * while the reference named it `items_sku_unique`. That is one rename, not a missing plus an extra.
 * Several candidates with one signature are paired in name order, so the result never depends on row order.
 */
export function pairRenames(kind: CatalogKind, missing: CatalogObject[], extra: CatalogObject[]): RenamePairs {
  if (!kind.renameSignature || missing.length === 0 || extra.length === 0) return { renamed: [], missing, extra };
  const signature = (o: CatalogObject) => `${o.table ?? ''}\u0000${kind.renameSignature!(o)}`;
  const candidates = new Map<string, CatalogObject[]>();
  for (const o of [...extra].sort(byName)) candidates.set(signature(o), [...(candidates.get(signature(o)) ?? []), o]);
  const renamed: RenamePairs['renamed'] = [];
  const stillMissing: CatalogObject[] = [];
  for (const o of [...missing].sort(byName)) {
    const match = candidates.get(signature(o))?.shift();
    if (match) renamed.push({ reference: o, migrations: match });
    else stillMissing.push(o);
  }
  const paired = new Set(renamed.map((r) => r.migrations));
  return { renamed, missing: missing.filter((o) => stillMissing.includes(o)), extra: extra.filter((o) => !paired.has(o)) };
}

function byName(a: CatalogObject, b: CatalogObject): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function renamedFinding(reference: CatalogObject, migrations: CatalogObject, other: SideWords = SIDE_WORDS.migrations): Finding {
  const message = `${reference.kind} ${reference.key} is named ${quoteIdentIfNeeded(migrations.name)} ${other.names} (same definition, other name)`;
  return objectFinding(reference, 'renamed', message, { name: { reference: reference.name, [other.name]: migrations.name } });
}
