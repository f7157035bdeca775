import { qualify, type CatalogKind } from '../catalog-object.js';
import { notExtensionMember } from './shared-sql.js';

/**
 * Grants (opt-in, `--privileges`): who may do what on tables, views, sequences, columns, functions, schemas
 * and types — one object per (object, grantee) with the privileges sorted. Read from the effective ACL
 * (`acldefault` when none was ever granted), so the default PUBLIC EXECUTE on functions is the same on
 * both sides and only its REVOKE shows up. Never about the scratch database's own user: grants to an
 * object's owner, to superusers, and ownership by the connected user are left out. An object owned by
 * another role gets one `OWNER` entry for that role.
 */
const OBJECTS = `
  SELECT 'table' AS on_type, n.nspname AS schema, ARRAY[c.relname::text] AS names, NULL::text AS args,
         CASE WHEN c.relkind <> 'S' THEN c.relname::text END AS table_name,
         c.relowner AS owner, coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner)) AS acl,
         CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END AS object_type
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${notExtensionMember('c.oid', 'pg_class')}
  UNION ALL
  SELECT 'column', n.nspname, ARRAY[c.relname::text, a.attname::text], NULL, c.relname::text, c.relowner, a.attacl, 'column'
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND ${notExtensionMember('c.oid', 'pg_class')}
  UNION ALL
  SELECT 'function', n.nspname, ARRAY[p.proname::text], oidvectortypes(p.proargtypes), NULL, p.proowner, coalesce(p.proacl, acldefault('f', p.proowner)),
         CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE ${notExtensionMember('p.oid', 'pg_proc')}
  UNION ALL
  SELECT 'schema', n.nspname, ARRAY[]::text[], NULL, NULL, n.nspowner, coalesce(n.nspacl, acldefault('n', n.nspowner)), 'schema'
    FROM pg_namespace n
  UNION ALL
  SELECT 'type', n.nspname, ARRAY[t.typname::text], NULL, NULL, t.typowner, coalesce(t.typacl, acldefault('T', t.typowner)),
         CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class c ON c.oid = t.typrelid
   WHERE t.typtype IN ('e', 'd', 'c', 'r') AND (t.typtype <> 'c' OR c.relkind = 'c') AND ${notExtensionMember('t.oid', 'pg_type')}`;

/** Roles that stand for "whoever runs the check": the connected user, superusers, the database owner role. */
const IS_SCRATCH_USER = (role: string) =>
  `(${role} = (SELECT oid FROM pg_roles WHERE rolname = current_user) OR ${role} IN (SELECT oid FROM pg_roles WHERE rolsuper OR rolname = 'pg_database_owner'))`;

/** What each object type is called as a kind, so grants of a missing object are not repeated. */
const TARGET_KINDS: Record<string, string> = { 'materialized view': 'view', procedure: 'function', domain: 'type' };

/** The object a grant is on, so grants of an object missing as a whole are not repeated. */
export interface PrivilegePayload {
  object: string;
  target: { kind: string; key: string };
}

export const privileges: CatalogKind<'privilege'> = {
  kind: 'privilege',
  optIn: 'privileges',
  fields: [
    { name: 'on', label: 'object type' },
    { name: 'privileges', label: 'privileges' },
  ],
  query: () => `
    WITH objects AS (${OBJECTS}),
    grants AS (
      SELECT o.on_type, o.object_type, o.schema, o.names, o.args, o.table_name,
             CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END AS grantee,
             x.privilege_type || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS privilege
        FROM objects o, aclexplode(o.acl) x
       WHERE o.schema = ANY($1) AND x.grantee <> o.owner AND NOT ${IS_SCRATCH_USER('x.grantee')}
      UNION ALL
      SELECT o.on_type, o.object_type, o.schema, o.names, o.args, o.table_name, pg_get_userbyid(o.owner)::text, 'OWNER'
        FROM objects o
       WHERE o.schema = ANY($1) AND o.on_type <> 'column' AND NOT ${IS_SCRATCH_USER('o.owner')}
    )
    SELECT on_type, object_type, schema, names, args, table_name, grantee, array_agg(privilege ORDER BY privilege) AS privileges
      FROM grants
     GROUP BY on_type, object_type, schema, names, args, table_name, grantee
     ORDER BY schema, names, args, grantee`,
  toObjects: (rows) =>
    rows.map((r) => {
      const object = r.on_type === 'schema' ? qualify(r.schema) : `${qualify(r.schema, ...r.names)}${r.args === null ? '' : `(${r.args})`}`;
      return {
        kind: 'privilege',
        key: `${object} TO ${r.grantee}`,
        ...(r.table_name ? { table: qualify(r.schema, r.table_name) } : {}),
        name: r.grantee,
        attributes: { on: r.object_type, privileges: r.privileges },
        info: { object, target: { kind: TARGET_KINDS[r.object_type] ?? r.object_type, key: object } },
      };
    }),
};
