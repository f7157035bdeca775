import type { CatalogObjectKind } from '../catalog/catalog-object.js';
import { infoOf } from './fix-statement.js';
import { dirname } from 'node:path';
import type { ObjectKind } from '../catalog/catalog-object.js';
import type { BuiltSide } from '../run/sides/built-side.js';
import type { FixStatement } from './fix-statement.js';

/** The statements that belong in one reference folder. */
export interface ReferenceGroup {
  /** The folder, as shown to the user (relative to the working directory when inside it). */
  folder: string;
  statements: string[];
}

/**
 * Groups --reference-side statements by the reference folder their object belongs in: the folder where the
 * reference already defines most objects of the same kind (`02_indexes/` for an index), else the folder of
 * the object's table, else the folder of the first reference file. Groups follow the reference's own folder
 * order; statements keep the plan's order within a group.
 */
export function referenceFolders(statements: FixStatement[], reference: BuiltSide): ReferenceGroup[] {
  const locator = reference.locator;
  const folderOf = (kind: ObjectKind, key: string, table?: string) => {
    const file = locator?.find(kind, key, table)?.file;
    return file ? dirname(file) : undefined;
  };
  const byKind = new Map<ObjectKind, string | undefined>();
  const kindFolder = (kind: ObjectKind) => {
    if (!byKind.has(kind)) {
      const counts = new Map<string, number>();
      for (const object of reference.catalog.get(kind as CatalogObjectKind)?.values() ?? []) {
        // An index behind a constraint is written with its table, not where indexes are kept.
        if (infoOf(object)?.constraint) continue;
        const folder = folderOf(kind, object.key, object.table);
        if (folder) counts.set(folder, (counts.get(folder) ?? 0) + 1);
      }
      byKind.set(kind, [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0]);
    }
    return byKind.get(kind);
  };
  const fallback = folderOf('schema', 'public') ?? firstFolder(reference) ?? '.';
  const groups = new Map<string, string[]>();
  for (const s of statements) {
    const table = reference.catalog.get(s.kind as CatalogObjectKind)?.get(s.object)?.table;
    const tableFolder = tableFolderOf(s, reference, folderOf);
    const folder = kindFolder(s.kind) ?? tableFolder ?? (table ? folderOf('table', table) : undefined) ?? fallback;
    groups.set(folder, [...(groups.get(folder) ?? []), s.sql]);
  }
  return [...groups].sort((a, b) => a[0].localeCompare(b[0], undefined, { numeric: true })).map(([folder, list]) => ({ folder: folder === '.' ? '.' : `${folder}/`, statements: list }));
}

/** A table's part (an index, a policy) goes next to its table when nothing of its kind is in the reference yet. */
function tableFolderOf(s: FixStatement, reference: BuiltSide, folderOf: (kind: ObjectKind, key: string, table?: string) => string | undefined): string | undefined {
  const parts = s.object.split('.');
  if (parts.length < 3 || !['column', 'constraint', 'policy', 'trigger'].includes(s.kind)) return undefined;
  const table = parts.slice(0, -1).join('.');
  return reference.catalog.get('table')?.has(table) ? folderOf('table', table) : undefined;
}

function firstFolder(reference: BuiltSide): string | undefined {
  for (const objects of reference.catalog.values()) {
    for (const object of objects.values()) {
      const file = reference.locator?.find(object.kind, object.key, object.table)?.file;
      if (file) return dirname(file);
    }
  }
  return undefined;
}
