import { qualify, type CatalogKind } from '../catalog-object.js';
import { notExtensionMember } from './shared-sql.js';

/**
 * Sequences: type, start, increment, bounds, cache, cycle and the column that owns them (serial columns own
 * theirs). Sequences behind identity columns are left out: the column's identity (with its options) covers
 * them, and their names are generated. Values are read as text so that bigint bounds survive every driver.
 */
export const sequences: CatalogKind<'sequence'> = {
  kind: 'sequence',
  fields: [
    { name: 'type', label: 'type' },
    { name: 'start', label: 'start' },
    { name: 'increment', label: 'increment' },
    { name: 'min', label: 'minimum' },
    { name: 'max', label: 'maximum' },
    { name: 'cache', label: 'cache' },
    { name: 'cycle', label: 'cycle' },
    { name: 'ownedBy', label: 'owned by' },
  ],
  present: `EXISTS (SELECT 1 FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($1))`,
  query: () => `
    SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS type,
           s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max,
           s.seqcache::text AS cache, s.seqcycle AS cycle,
           tn.nspname AS owner_schema, t.relname AS owner_table, a.attname AS owner_column
      FROM pg_sequence s
      JOIN pg_class c ON c.oid = s.seqrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                           AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
      LEFT JOIN pg_class t ON t.oid = d.refobjid
      LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE n.nspname = ANY($1) AND (d.deptype IS NULL OR d.deptype <> 'i')
       AND ${notExtensionMember('c.oid', 'pg_class')}
     ORDER BY 1, 2`,
  toObjects: (rows) =>
    rows.map((r) => {
      const owner = r.owner_table ? qualify(r.owner_schema, r.owner_table) : undefined;
      return {
        kind: 'sequence',
        key: qualify(r.schema, r.name),
        // A serial column's sequence goes with its table: not repeated when the whole table is missing.
        ...(owner ? { table: owner } : {}),
        name: r.name,
        attributes: {
          type: r.type,
          start: r.start,
          increment: r.increment,
          min: r.min,
          max: r.max,
          cache: r.cache,
          cycle: r.cycle,
          ownedBy: owner ? qualify(r.owner_schema, r.owner_table, r.owner_column) : null,
        },
      };
    }),
};
