import type { CatalogKind } from '../catalog-object.js';

/**
 * Logical-replication publications (database-wide, keyed by name): FOR ALL TABLES, the operations published,
 * publish_via_partition_root, and each published table with its column list and row filter (Postgres 15+),
 * plus the schemas published with FOR TABLES IN SCHEMA. A publication is compared when it publishes all
 * tables, nothing yet, or something in a compared schema; published tables outside them are not listed.
 */
export const publications: CatalogKind<'publication'> = {
  kind: 'publication',
  fields: [
    { name: 'allTables', label: 'FOR ALL TABLES' },
    { name: 'operations', label: 'operations' },
    { name: 'viaRoot', label: 'publish_via_partition_root' },
    { name: 'tables', label: 'tables' },
    { name: 'schemas', label: 'schemas' },
  ],
  present: `EXISTS (SELECT 1 FROM pg_publication)`,
  query: (ctx) => {
    const v15 = ctx.versionNum >= 150000;
    const columns = v15
      ? `|| coalesce(' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
                               WHERE a.attrelid = pr.prrelid AND a.attnum = ANY(pr.prattrs::int2[])) || ')', '')
         || coalesce(' WHERE ' || pg_get_expr(pr.prqual, pr.prrelid), '')`
      : '';
    const schemas = v15
      ? `ARRAY(SELECT pn.pnnspid::regnamespace::text FROM pg_publication_namespace pn WHERE pn.pnpubid = p.oid ORDER BY 1)`
      : `ARRAY[]::text[]`;
    return `
    SELECT p.pubname AS name, p.puballtables AS all_tables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,
           ${ctx.versionNum >= 130000 ? 'p.pubviaroot' : 'false'} AS via_root,
           ARRAY(SELECT format('%I.%I', n.nspname, c.relname) ${columns}
                   FROM pg_publication_rel pr
                   JOIN pg_class c ON c.oid = pr.prrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE pr.prpubid = p.oid AND n.nspname = ANY($1)
                  ORDER BY 1) AS tables,
           ${schemas} AS schemas,
           EXISTS (SELECT 1 FROM pg_publication_rel pr WHERE pr.prpubid = p.oid) AS has_tables
      FROM pg_publication p
     ORDER BY 1`;
  },
  toObjects: (rows) =>
    rows
      .filter((r) => r.all_tables || !r.has_tables || r.tables.length > 0 || r.schemas.length > 0)
      .map((r) => ({
        kind: 'publication',
        key: r.name,
        name: r.name,
        attributes: {
          allTables: r.all_tables,
          operations: (['insert', 'update', 'delete', 'truncate'] as const).filter((op) => r[`pub${op}`]).join(', ') || 'none',
          viaRoot: r.via_root,
          tables: r.tables,
          schemas: r.schemas,
        },
      })),
};
