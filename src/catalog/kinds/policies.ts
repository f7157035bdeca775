import { qualify, type CatalogKind } from '../catalog-object.js';

const COMMANDS: Record<string, string> = { r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', '*': 'ALL' };

/** Row level security policies; expressions printed by Postgres, so extra parentheses or spacing are not drift. */
export const policies: CatalogKind<'policy'> = {
  kind: 'policy',
  fields: [
    { name: 'command', label: 'command' },
    { name: 'permissive', label: 'permissive/restrictive' },
    { name: 'roles', label: 'roles' },
    { name: 'using', label: 'USING expression', multiline: true },
    { name: 'withCheck', label: 'WITH CHECK expression', multiline: true },
  ],
  renameSignature: (o) => JSON.stringify(o.attributes),
  present: `EXISTS (SELECT 1 FROM pg_policy)`,
  query: () => `
    SELECT n.nspname AS schema, c.relname AS table, p.polname AS name, p.polcmd AS command, p.polpermissive AS permissive,
           ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE pg_get_userbyid(r.oid)::text END
                   FROM unnest(p.polroles) AS r(oid) ORDER BY 1) AS roles,
           pg_get_expr(p.polqual, p.polrelid, true) AS using_expr,
           pg_get_expr(p.polwithcheck, p.polrelid, true) AS check_expr
      FROM pg_policy p
      JOIN pg_class c ON c.oid = p.polrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY($1)
     ORDER BY 1, 2, 3`,
  toObjects: (rows) =>
    rows.map((r) => ({
      kind: 'policy',
      key: qualify(r.schema, r.table, r.name),
      table: qualify(r.schema, r.table),
      name: r.name,
      attributes: {
        command: COMMANDS[r.command] ?? r.command,
        permissive: r.permissive ? 'PERMISSIVE' : 'RESTRICTIVE',
        roles: r.roles,
        using: r.using_expr ?? null,
        withCheck: r.check_expr ?? null,
      },
    })),
};
