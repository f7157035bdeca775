import { payloadOf } from '../../catalog/catalog-object.js';
import { indexShapes, type IndexShape } from '../redundant-indexes/index-shape.js';
import type { LintHit, LintRule } from './lint-rule.js';

/**
 * `foreign-key-unindexed`: after the last migration, a foreign key's referencing columns are not the leading
 * columns of any index of its table. Every DELETE or key UPDATE of a referenced row then scans the
 * referencing table (under a lock), and so do joins along the key. An index whose leading columns are the
 * key's columns in any order counts; a partial index only when its predicate is just `col IS NOT NULL` of
 * key columns (rows with a NULL key never match a referenced row). Reported at the statement of a linted
 * migration that created the key.
 */
export const foreignKeyUnindexed: LintRule = {
  code: 'foreign-key-unindexed',
  severity: 'warning',
  title: 'A foreign key has no index on its referencing columns after the last migration',
  create: () => ({
    finish({ catalog, locate }) {
      const shapes = indexShapes(catalog);
      const hits: LintHit[] = [];
      for (const fk of catalog.get('constraint')?.values() ?? []) {
        const payload = payloadOf(fk, 'constraint');
        if (payload?.contype !== 'f' || !fk.table) continue;
        const columns = payload.columns;
        if (shapes.some((x) => x.table === fk.table && supports(x, columns))) continue;
        const statement = locate('constraint', fk.key);
        if (!statement) continue;
        const list = columns.join(', ');
        hits.push({
          statement,
          object: fk.key,
          message: `foreign key ${fk.name} (${list}) on ${fk.table} has no index starting with ${columns.length === 1 ? 'that column' : 'those columns'}: every delete or key update of a referenced row scans ${fk.table}`,
          hint: `CREATE INDEX CONCURRENTLY ON ${fk.table} (${list}) in a migration of its own (an index whose leading columns are the key's columns also serves it)`,
          locks: [],
          rewrite: false,
          traced: true,
        });
      }
      return hits;
    },
  }),
};

/** The index can find the referencing rows of one referenced key: its leading key columns are exactly the key's columns. */
function supports(x: IndexShape, columns: string[]): boolean {
  if (!x.valid || !['btree', 'hash'].includes(x.method) || (x.method === 'hash' && columns.length > 1)) return false;
  const leading = x.keyColumns.slice(0, columns.length).map(unquote);
  if (leading.length < columns.length || !columns.every((c) => leading.includes(c))) return false;
  return x.predicate === null || onlyNotNull(x.predicate, columns);
}

/** `(a IS NOT NULL)` or `((a IS NOT NULL) AND (b IS NOT NULL))` over key columns. */
function onlyNotNull(predicate: string, columns: string[]): boolean {
  const parts = predicate.replace(/^\((.*)\)$/s, '$1').split(/\)\s+AND\s+\(/);
  return parts.every((p) => {
    const m = /^\(?\s*("(?:[^"]|"")+"|[^\s()]+)\s+IS NOT NULL\s*\)?$/.exec(p.trim());
    return m !== null && columns.includes(unquote(m[1]));
  });
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}
