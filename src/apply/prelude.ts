import { quoteIdentIfNeeded } from '../catalog/catalog-object.js';
import type { ScratchDatabase } from '../engine/scratch-database.js';
import { SESSION_TOKEN_PREFIX } from '../inputs/formats/migration-format.js';
import { SUPABASE_ROLES, type InputNeeds } from './input-needs.js';

/** Roles every fresh cluster has (besides the pg_* built-ins); the prelude never creates them. */
export const BUILTIN_ROLES = new Set(['postgres']);

/** The schema that holds the auth stand-in; never compared. */
export const AUTH_SCHEMA = 'auth';

/**
 * SQL run on a scratch database before any input: a small stand-in for Supabase's `auth` schema when the
 * inputs call auth.uid() & co. without creating it, and every role the SQL names but never creates.
 * The same prelude goes to both sides, so nothing in it can show up as a difference.
 */
export function preludeSql(needs: InputNeeds, existingRoles: Set<string> = new Set()): string {
  const statements = preludeRoles(needs, existingRoles).map((role) => `CREATE ROLE ${quoteIdentIfNeeded(role)} NOLOGIN;`);
  if (needs.usesAuth) {
    statements.push(
      `CREATE SCHEMA ${AUTH_SCHEMA};`,
      `CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;`,
      `CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.role', true), '')::text $$;`,
      `CREATE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.email', true), '')::text $$;`,
      `CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$ SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;`,
    );
  }
  return statements.join('\n');
}

/** Roles the prelude creates (so a server engine can drop exactly those afterwards). */
export function preludeRoles(needs: InputNeeds, existingRoles: Set<string> = new Set()): string[] {
  const roles = new Set<string>(needs.usesAuth ? SUPABASE_ROLES : []);
  for (const r of needs.referencedRoles) roles.add(r);
  // A session token (a format's stand-in for the role running the migrations) is replaced before sending.
  return [...roles].filter((r) => !needs.createdRoles.has(r) && !existingRoles.has(r) && !r.startsWith('pg_') && !r.startsWith(SESSION_TOKEN_PREFIX)).sort();
}

/**
 * Every role a run touches, for engines whose two scratch databases share one cluster: the roles the prelude
 * would create and the roles the SQL creates itself (made once up front so both sides can run CREATE ROLE).
 */
export function clusterRoles(needs: InputNeeds): string[] {
  return [...new Set([...preludeRoles({ ...needs, createdRoles: new Set() }), ...needs.createdRoles])].sort();
}

/**
 * Runs the prelude before a side's first statement: the roles the database lacks and, when either side needs
 * it and it is not there yet, the auth stand-in. A database started from a checkpoint already has what the
 * prelude made for its prefix; only roles the newer files name are added.
 */
export async function runPrelude(db: ScratchDatabase, needs: InputNeeds, usesAuth: boolean): Promise<void> {
  const [state] = await db.query<{ roles: string[]; has_auth: boolean }>(
    `SELECT ARRAY(SELECT rolname::text FROM pg_roles) AS roles, EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '${AUTH_SCHEMA}') AS has_auth`,
  );
  const sql = preludeSql({ ...needs, usesAuth: usesAuth && !state.has_auth }, new Set(state.roles));
  if (sql) await db.exec(sql);
}
