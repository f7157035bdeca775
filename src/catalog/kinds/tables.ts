import { qualify, type CatalogKind } from '../catalog-object.js';
import { notExtensionMember } from './shared-sql.js';

/** Tables (plain and partitioned): row level security, persistence, storage options, partitioning. */
export interface TablePayload {
  columns: string[];
}

export const tables: CatalogKind<'table'> = {
  kind: 'table',
  fields: [
    { name: 'rowSecurity', label: 'row level security' },
    { name: 'forceRowSecurity', label: 'forced row level security' },
    { name: 'persistence', label: 'persistence' },
    { name: 'options', label: 'storage options' },
    { name: 'partitionKey', label: 'partition key' },
    { name: 'partitionOf', label: 'partition of' },
    { name: 'partitionBound', label: 'partition bound' },
    { name: 'columnOrder', label: 'column order', optIn: 'strictColumnOrder' },
  ],
  query: () => `
    SELECT n.nspname AS schema, c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls,
           c.relpersistence AS persistence, c.reloptions AS options,
           CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
           (SELECT pn.nspname || '.' || pc.relname FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
              JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE c.relispartition AND i.inhrelid = c.oid) AS partition_of,
           CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
           ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) AND ${notExtensionMember('c.oid', 'pg_class')}
     ORDER BY 1, 2`,
  toObjects: (rows) =>
    rows.map((r) => ({
      kind: 'table',
      key: qualify(r.schema, r.name),
      table: qualify(r.schema, r.name),
      name: r.name,
      attributes: {
        rowSecurity: r.rls,
        forceRowSecurity: r.force_rls,
        persistence: r.persistence === 'u' ? 'unlogged' : 'permanent',
        options: r.options ? [...r.options].sort() : null,
        partitionKey: r.partition_key ?? null,
        partitionOf: r.partition_of ?? null,
        partitionBound: r.partition_bound ?? null,
        columnOrder: r.columns,
      },
      info: { columns: r.columns },
    })),
};
