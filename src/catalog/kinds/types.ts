import { qualify, type CatalogKind } from '../catalog-object.js';
import { notExtensionMember } from './shared-sql.js';

const TYPE_KINDS: Record<string, string> = { e: 'enum', d: 'domain', c: 'composite', r: 'range' };

/**
 * User-defined types: enums (labels in their order — reordering is drift, since it changes sorting),
 * domains (base type, default, NOT NULL, CHECK constraints printed by Postgres), composite types (attributes
 * in order, with their types and collations) and range types (subtype). Row types of tables are left out.
 */
export const types: CatalogKind<'type'> = {
  kind: 'type',
  fields: [
    { name: 'type', label: 'kind of type' },
    { name: 'labels', label: 'enum labels' },
    { name: 'baseType', label: 'base type' },
    { name: 'default', label: 'default' },
    { name: 'nullable', label: 'nullability' },
    { name: 'constraints', label: 'constraints' },
    { name: 'attributes', label: 'attributes' },
  ],
  present: `EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class c ON c.oid = t.typrelid WHERE t.typtype IN ('e', 'd', 'c', 'r') AND (t.typtype <> 'c' OR c.relkind = 'c') AND n.nspname = ANY($1))`,
  query: () => `
    SELECT n.nspname AS schema, t.typname AS name, t.typtype AS type,
           CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS labels,
           CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod)
                WHEN t.typtype = 'r' THEN (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) END AS base_type,
           CASE WHEN t.typtype = 'd' THEN t.typdefault END AS default_expr,
           t.typnotnull AS not_null,
           CASE WHEN t.typtype = 'd' THEN ARRAY(SELECT 'CONSTRAINT ' || quote_ident(co.conname) || ' ' || pg_get_constraintdef(co.oid)
                                                  FROM pg_constraint co WHERE co.contypid = t.oid AND co.contype = 'c' ORDER BY co.conname) END AS constraints,
           CASE WHEN t.typtype = 'c' THEN ARRAY(
             SELECT quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                    || CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' || quote_ident(co.collname) ELSE '' END
               FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid LEFT JOIN pg_collation co ON co.oid = a.attcollation
              WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) END AS attributes
      FROM pg_type t
      JOIN pg_namespace n ON n.oid = t.typnamespace
      LEFT JOIN pg_class c ON c.oid = t.typrelid
     WHERE t.typtype IN ('e', 'd', 'c', 'r') AND (t.typtype <> 'c' OR c.relkind = 'c')
       AND n.nspname = ANY($1) AND ${notExtensionMember('t.oid', 'pg_type')}
     ORDER BY 1, 2`,
  toObjects: (rows) =>
    rows.map((r) => ({
      kind: 'type',
      key: qualify(r.schema, r.name),
      name: r.name,
      attributes: {
        type: TYPE_KINDS[r.type] ?? r.type,
        labels: r.labels ?? null,
        baseType: r.base_type ?? null,
        default: r.default_expr ?? null,
        nullable: r.type === 'd' ? (r.not_null ? 'NOT NULL' : 'NULL') : null,
        constraints: r.constraints?.length ? r.constraints : null,
        attributes: r.attributes ?? null,
      },
    })),
};
