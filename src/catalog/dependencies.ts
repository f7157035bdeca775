import type { ScratchDatabase } from '../engine/scratch-database.js';
import { qualify, type Catalog, type ObjectKind } from './catalog-object.js';

/**
 * Which compared object depends on which, read from pg_depend and named with the catalog's own keys, so a
 * plan can be ordered by what Postgres itself recorded (a view on the table and function it reads, a column
 * on its type and on the sequence of its default, a foreign key on the unique index it references, a trigger
 * on its function) instead of a fixed order of kinds.
 *
 * Each pg_depend end is mapped to (kind, schema, names, args), the parts the kinds' keys are built from:
 * a view's rewrite rule is the view, a column default is its column, a table's row type is the table, an
 * array type is its element type, and an index that backs a constraint is that constraint.
 */
const DEPENDENCIES_SQL = `
  WITH objects AS (
    SELECT 'pg_class'::regclass AS classid, c.oid AS objid, 0 AS objsubid,
           CASE WHEN c.relkind IN ('r', 'p', 'f') THEN 'table' WHEN c.relkind IN ('v', 'm') THEN 'view' WHEN c.relkind = 'S' THEN 'sequence'
                WHEN co.oid IS NOT NULL THEN 'constraint' ELSE 'index' END AS kind,
           n.nspname AS schema,
           CASE WHEN co.oid IS NOT NULL THEN ARRAY[t.relname::text, co.conname::text] ELSE ARRAY[c.relname::text] END AS names, NULL::text AS args
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_index x ON x.indexrelid = c.oid
      LEFT JOIN pg_class t ON t.oid = x.indrelid
      LEFT JOIN pg_constraint co ON co.conindid = c.oid AND co.conrelid = x.indrelid AND co.contype IN ('p', 'u', 'x')
     WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S', 'i', 'I') AND c.oid >= 16384
    UNION ALL
    SELECT 'pg_class'::regclass, a.attrelid, a.attnum, 'column', n.nspname, ARRAY[c.relname::text, a.attname::text], NULL
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND c.oid >= 16384
    UNION ALL
    SELECT 'pg_class'::regclass, a.attrelid, a.attnum, 'view', n.nspname, ARRAY[c.relname::text], NULL
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('v', 'm') AND a.attnum > 0 AND c.oid >= 16384
    UNION ALL
    SELECT 'pg_rewrite'::regclass, r.oid, 0, 'view', n.nspname, ARRAY[c.relname::text], NULL
      FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('v', 'm') AND r.oid >= 16384
    UNION ALL
    SELECT 'pg_attrdef'::regclass, d.oid, 0, 'column', n.nspname, ARRAY[c.relname::text, a.attname::text], NULL
      FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
     WHERE d.oid >= 16384
    UNION ALL
    SELECT 'pg_constraint'::regclass, co.oid, 0, CASE WHEN co.conrelid <> 0 THEN 'constraint' ELSE 'type' END, n.nspname,
           CASE WHEN co.conrelid <> 0 THEN ARRAY[c.relname::text, co.conname::text] ELSE ARRAY[t.typname::text] END, NULL
      FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
      LEFT JOIN pg_class c ON c.oid = co.conrelid LEFT JOIN pg_type t ON t.oid = co.contypid
     WHERE co.oid >= 16384
    UNION ALL
    SELECT 'pg_type'::regclass, t.oid, 0,
           CASE WHEN coalesce(rc.relkind, ec.relkind) IN ('r', 'p', 'f') THEN 'table' WHEN coalesce(rc.relkind, ec.relkind) IN ('v', 'm') THEN 'view' ELSE 'type' END,
           n.nspname, ARRAY[coalesce(rc.relname, ec.relname, e.typname, t.typname)::text], NULL
      FROM pg_type t
      LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
      JOIN pg_namespace n ON n.oid = coalesce(e.typnamespace, t.typnamespace)
      LEFT JOIN pg_class rc ON rc.oid = t.typrelid
      LEFT JOIN pg_class ec ON ec.oid = e.typrelid
     WHERE t.oid >= 16384
    UNION ALL
    SELECT 'pg_proc'::regclass, p.oid, 0, 'function', n.nspname, ARRAY[p.proname::text], pg_catalog.oidvectortypes(p.proargtypes)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE p.oid >= 16384
    UNION ALL
    SELECT 'pg_trigger'::regclass, tg.oid, 0, 'trigger', n.nspname, ARRAY[c.relname::text, tg.tgname::text], NULL
      FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE tg.oid >= 16384
    UNION ALL
    SELECT 'pg_policy'::regclass, po.oid, 0, 'policy', n.nspname, ARRAY[c.relname::text, po.polname::text], NULL
      FROM pg_policy po JOIN pg_class c ON c.oid = po.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    UNION ALL
    SELECT 'pg_namespace'::regclass, n.oid, 0, 'schema', n.nspname, ARRAY[]::text[], NULL
      FROM pg_namespace n
    UNION ALL
    SELECT 'pg_extension'::regclass, e.oid, 0, 'extension', NULL, ARRAY[e.extname::text], NULL
      FROM pg_extension e
  )
  SELECT DISTINCT a.kind, a.schema, a.names, a.args, b.kind AS ref_kind, b.schema AS ref_schema, b.names AS ref_names, b.args AS ref_args
    FROM pg_depend d
    JOIN objects a ON a.classid = d.classid AND a.objid = d.objid AND a.objsubid = d.objsubid
    JOIN objects b ON b.classid = d.refclassid AND b.objid = d.refobjid AND b.objsubid = d.refobjsubid
   WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384
     AND (a.schema IS NULL OR a.schema = ANY($1)) AND (b.schema IS NULL OR b.schema = ANY($1))`;

/** `kind` + key: how a plan names an object of any kind. */
export function objectId(kind: ObjectKind | string, key: string): string {
  return `${kind}:${key}`;
}

function keyOf(kind: string, schema: string | null, names: string[], args: string | null): string {
  if (kind === 'extension') return names[0];
  if (kind === 'schema') return schema!; // the schema kind's keys are bare names
  return `${qualify(schema!, ...names)}${args === null ? '' : `(${args})`}`;
}

/**
 * Adds `info.dependsOn` (object ids, see objectId) to every object of the catalog that depends on another
 * object of the compared schemas. Runs with the introspection's pinned search_path, so function keys read
 * as the functions kind prints them.
 */
export async function readDependencies(db: ScratchDatabase, catalog: Catalog, schemas: string[]): Promise<void> {
  const rows = await db.query<Record<string, any>>(DEPENDENCIES_SQL, [schemas]);
  const edges = new Map<string, Set<string>>();
  for (const r of rows) {
    const from = objectId(r.kind, keyOf(r.kind, r.schema, r.names, r.args));
    const to = objectId(r.ref_kind, keyOf(r.ref_kind, r.ref_schema, r.ref_names, r.ref_args));
    if (from === to) continue;
    edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
  for (const objects of catalog.values()) {
    for (const object of objects.values()) {
      const to = edges.get(objectId(object.kind, object.key));
      if (to) (object as { info?: unknown }).info = { ...object.info, dependsOn: [...to].sort() };
    }
  }
}
