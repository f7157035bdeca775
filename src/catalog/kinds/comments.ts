import { qualify, type CatalogKind, type CatalogObject, type ObjectKind } from '../catalog-object.js';

/** pg_identify_object's type → the kind whose key the comment's key follows. */
const KINDS: Record<string, ObjectKind> = {
  schema: 'schema',
  table: 'table',
  'table column': 'column',
  'table constraint': 'constraint',
  index: 'index',
  'materialized view': 'view',
  view: 'view',
  sequence: 'sequence',
  function: 'function',
  procedure: 'function',
  type: 'type',
  domain: 'type',
  trigger: 'trigger',
  policy: 'policy',
};

/**
 * Comments (opt-in, `--comments`) on anything that can have one — tables, columns, views, functions, types,
 * constraints, indexes, triggers, policies, schemas, … — in one query over pg_description. Each comment's
 * key is the key of the object it is on (`public.items.sku` for a column), so it reads and filters like that
 * object; `on` says what the object is. Comments on extensions and their members belong to the extension.
 */
/** The object a comment is on, so a comment of an object missing as a whole is not repeated. */
export interface CommentPayload {
  target: { kind: string; key: string };
}

export const comments: CatalogKind<'comment'> = {
  kind: 'comment',
  optIn: 'comments',
  fields: [
    { name: 'on', label: 'object type' },
    { name: 'text', label: 'text', multiline: true },
  ],
  query: () => `
    SELECT o.type AS on_type, o.identity, d.description AS text,
           coalesce(o.schema, CASE WHEN o.type = 'schema' THEN o.identity END) AS schema,
           CASE d.classoid
             WHEN 'pg_class'::regclass THEN ARRAY[(SELECT c.relname::text FROM pg_class c WHERE c.oid = d.objoid)]
                  || CASE WHEN d.objsubid > 0 THEN ARRAY[(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = d.objoid AND a.attnum = d.objsubid)] ELSE ARRAY[]::text[] END
             WHEN 'pg_type'::regclass THEN ARRAY[(SELECT t.typname::text FROM pg_type t WHERE t.oid = d.objoid)]
             WHEN 'pg_proc'::regclass THEN ARRAY[(SELECT p.proname::text FROM pg_proc p WHERE p.oid = d.objoid)]
             WHEN 'pg_constraint'::regclass THEN (SELECT ARRAY[coalesce(c.relname, t.typname)::text, co.conname::text] FROM pg_constraint co
                  LEFT JOIN pg_class c ON c.oid = co.conrelid LEFT JOIN pg_type t ON t.oid = co.contypid WHERE co.oid = d.objoid)
             WHEN 'pg_trigger'::regclass THEN (SELECT ARRAY[c.relname::text, tg.tgname::text] FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid WHERE tg.oid = d.objoid)
             WHEN 'pg_policy'::regclass THEN (SELECT ARRAY[c.relname::text, po.polname::text] FROM pg_policy po JOIN pg_class c ON c.oid = po.polrelid WHERE po.oid = d.objoid)
           END AS names,
           CASE WHEN d.classoid = 'pg_proc'::regclass THEN (SELECT oidvectortypes(p.proargtypes) FROM pg_proc p WHERE p.oid = d.objoid) END AS args,
           CASE WHEN d.classoid IN ('pg_trigger'::regclass, 'pg_policy'::regclass)
                  OR (d.classoid = 'pg_constraint'::regclass AND EXISTS (SELECT 1 FROM pg_constraint co WHERE co.oid = d.objoid AND co.conrelid <> 0))
                  OR (d.classoid = 'pg_class'::regclass AND (d.objsubid > 0 OR o.type IN ('table', 'view', 'materialized view'))) THEN true ELSE false END AS on_table
      FROM pg_description d, pg_identify_object(d.classoid, d.objoid, d.objsubid) o
     WHERE coalesce(o.schema, CASE WHEN o.type = 'schema' THEN o.identity END) = ANY($1)
       AND o.type <> 'extension'
       AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e')
     ORDER BY 4, 2, 1`,
  toObjects: (rows) => {
    const objects: CatalogObject<'comment'>[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      const kind = KINDS[r.on_type];
      const names: string[] | null = r.names && r.names.every((n: string | null) => n !== null) ? r.names : null;
      let key = r.on_type === 'schema' ? qualify(r.schema) : names ? `${qualify(r.schema, ...names)}${r.args === null ? '' : `(${r.args})`}` : String(r.identity);
      const target = kind ? { kind, key } : undefined;
      // Keys of different kinds can coincide (a column and a constraint both named x on one table).
      if (seen.has(key)) key = `${key} (${r.on_type})`;
      seen.add(key);
      objects.push({
        kind: 'comment',
        key,
        ...(r.on_table && names ? { table: qualify(r.schema, names[0]) } : {}),
        name: names ? names[names.length - 1] : String(r.identity),
        attributes: { on: r.on_type, text: r.text },
        // identity: the object as pg_identify_object names it (quoted as needed), what COMMENT ON takes.
        info: { ...(target ? { target } : {}), identity: r.identity } as CommentPayload,
      });
    }
    return objects;
  },
};
