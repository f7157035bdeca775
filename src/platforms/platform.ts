import type { InputNeeds } from '../apply/input-needs.js';
import type { ObjectKind } from '../catalog/catalog-object.js';
import { STATEMENT_OBJECTS, type StatementContext } from '../locations/statement-objects.js';
import { loadParser, type ParsedFile, type ParsedStatement } from '../parse/parse-sql.js';
import { parseSync } from 'libpg-query';
import { SUPABASE_PREINSTALLED_EXTENSIONS, SUPABASE_PLATFORM_EXTENSIONS, SUPABASE_PLATFORM_ROLES, SUPABASE_PLATFORM_SQL, SUPABASE_PLATFORM_SUMMARY } from './supabase-platform.sql.js';

/**
 * A hosting platform's own objects, which a project's migrations and reference both take for granted: run on
 * both sides before anything else and left out of the report, except the kinds the project itself changes
 * on them and that are compared like its own (a platform's publication).
 */
export interface Platform {
  name: string;
  sql: string;
  roles: string[];
  /** Extensions the SQL installs (the embedded engine loads them at start). */
  extensions: string[];
  /** One line for the text report and the JSON warnings. */
  summary: string;
  /** Kinds whose platform objects are still compared. */
  comparedKinds: ObjectKind[];
  /**
   * Extensions the platform has installed in every database but that no scratch engine ships (pg_graphql,
   * supabase_vault, …): `CREATE EXTENSION IF NOT EXISTS` of one is a no-op on the platform, so it is left out.
   */
  preinstalled: string[];
  /** Run before every file of both sides (the platform's default search_path), as the platform's sessions start. */
  session: string[];
}

export const SUPABASE_PLATFORM: Platform = {
  name: 'supabase',
  sql: SUPABASE_PLATFORM_SQL,
  roles: SUPABASE_PLATFORM_ROLES,
  extensions: SUPABASE_PLATFORM_EXTENSIONS,
  summary: SUPABASE_PLATFORM_SUMMARY,
  comparedKinds: ['publication'],
  preinstalled: SUPABASE_PREINSTALLED_EXTENSIONS,
  // Supabase's databases default to this search_path: uuid_generate_v4() from the extensions schema works unqualified.
  session: [`SELECT pg_catalog.set_config('search_path', '"$user", public, extensions', false)`],
};

/** The identities (kind and key, as the catalog kinds write them) of every object the platform SQL creates. */
export async function platformObjects(platform: Platform): Promise<Set<string>> {
  await loadParser();
  const tree = parseSync(platform.sql) as { stmts: Array<{ stmt: Record<string, any> }> };
  const out = new Set<string>();
  const ctx: StatementContext = { schema: 'public' };
  for (const { stmt } of tree.stmts) {
    const type = Object.keys(stmt)[0];
    for (const object of STATEMENT_OBJECTS[type]?.(stmt[type], ctx) ?? []) {
      if (!platform.comparedKinds.includes(object.kind)) out.add(identity(object.kind, object.key));
    }
  }
  return out;
}

function identity(kind: string, key: string): string {
  return `${kind}\u0000${key}`;
}

/** Is this finding or checked object about a platform object? Functions are matched by name (their keys carry argument types). */
export function isPlatformObject(objects: Set<string>, item: { kind: string; object: string }): boolean {
  return objects.has(identity(item.kind, item.object)) || (item.kind === 'function' && objects.has(identity('function', item.object.replace(/\(.*\)$/, ''))));
}

/** The platform a migration format's projects run on, if any. */
export function platformFor(migrationFormat: string): Platform | undefined {
  return migrationFormat === 'supabase' ? SUPABASE_PLATFORM : undefined;
}

/**
 * What a side needs once the platform is there: its roles exist (made for the run, like roles the SQL names),
 * its extensions are loaded, and the small auth stand-in is not needed (the platform has the real shape).
 */
export function withPlatform(needs: InputNeeds, platform: Platform | undefined): InputNeeds {
  if (!platform) return needs;
  return {
    ...needs,
    usesAuth: false,
    extensions: new Set([...needs.extensions, ...platform.extensions]),
    referencedRoles: new Set([...needs.referencedRoles, ...platform.roles]),
  };
}

/**
 * Every file of both sides as the platform runs it: after the platform's session settings, and without the
 * statements the platform makes unnecessary (`CREATE EXTENSION IF NOT EXISTS` of an extension it pre-installs).
 * Returns the files and the extensions left out.
 */
export function withoutPreinstalled(files: ParsedFile[], platform: Platform | undefined): { files: ParsedFile[]; skipped: Set<string> } {
  const skipped = new Set<string>();
  if (!platform) return { files, skipped };
  const withSession = (f: ParsedFile): ParsedFile =>
    platform.session.length ? { ...f, run: { transaction: f.run?.transaction ?? 'auto', session: [...platform.session, ...(f.run?.session ?? [])] } } : f;
  const preinstalled = (s: ParsedStatement) => s.type === 'CreateExtensionStmt' && s.node.if_not_exists === true && platform.preinstalled.includes(String(s.node.extname));
  return {
    files: files.map((f) => {
      if (!f.statements.some(preinstalled)) return withSession(f);
      for (const s of f.statements.filter(preinstalled)) skipped.add(String(s.node.extname));
      return withSession({ ...f, statements: f.statements.filter((s) => !preinstalled(s)) });
    }),
    skipped,
  };
}
