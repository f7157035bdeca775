import type { ScratchDatabase } from '../engine/scratch-database.js';
import { loadParser } from '../parse/parse-sql.js';
import type { Catalog, CatalogKind, CatalogObject } from './catalog-object.js';
import { CATALOG_KINDS } from './kinds/index.js';
import { readDependencies } from './dependencies.js';
import { trace } from '../trace.js';

export interface IntrospectOptions {
  versionNum: number;
  /** Schemas to compare; undefined = every user schema. */
  schemas?: string[];
  /** Schemas never compared (the auth stand-in, …). */
  excludeSchemas?: string[];
  /** Read comments (`--comments`). */
  comments?: boolean;
  /** Read grants and owners (`--privileges`). */
  privileges?: boolean;
  /** Record what depends on what (`info.dependsOn`, from pg_depend): a fix plan is ordered by it. */
  dependencies?: boolean;
}

/** System schemas and the schemas of extensions are never compared. */
const LIST_SCHEMAS = `
  SELECT n.nspname AS name FROM pg_namespace n
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
     AND n.nspname !~ '^pg_(toast_)?temp_'
     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
   ORDER BY 1`;

/** Identifies the catalog queries of this build, so cached catalogs are never reused across query changes. */
export function catalogQueriesFingerprint(versionNum: number): string {
  return CATALOG_KINDS.map((k) => `${k.kind}:${k.present ?? ''}:${k.query({ versionNum })}:${k.fields.map((f) => f.name).join(',')}`).join('\n');
}

/** The kinds whose `present` condition is false, in one query: their own queries would return no row. */
async function absentKinds(db: ScratchDatabase, kinds: CatalogKind[], schemaNames: string[]): Promise<Set<string>> {
  const checked = kinds.filter((kind) => kind.present);
  if (checked.length === 0) return new Set();
  const sql = `SELECT ${checked.map((kind, i) => `${kind.present} AS k${i}`).join(', ')}`;
  const began = performance.now();
  const [row] = await db.query<Record<string, boolean>>(sql, sql.includes('$1') ? [schemaNames] : []);
  trace(`${db.label}: checked which kinds are present`, began);
  return new Set(checked.filter((_, i) => row?.[`k${i}`] === false).map((kind) => kind.kind));
}

/**
 * Reads a database's catalog into a Catalog: one query to choose schemas, then one query per object kind,
 * whatever the size of the schema. search_path is pinned so that names Postgres prints are qualified the
 * same way on every database (and on a live one whose default search_path differs).
 */
export async function introspectCatalog(db: ScratchDatabase, options: IntrospectOptions): Promise<Catalog> {
  await loadParser();
  await db.exec(`SET search_path TO public, pg_catalog`);
  const all = (await db.query<{ name: string }>(LIST_SCHEMAS)).map((r) => r.name);
  const excluded = new Set(options.excludeSchemas ?? []);
  const wanted = options.schemas ? new Set(options.schemas) : undefined;
  const schemaNames = all.filter((s) => !excluded.has(s) && (!wanted || wanted.has(s)));
  const catalog: Catalog = new Map();
  const kinds = CATALOG_KINDS.filter((kind) => !kind.optIn || options[kind.optIn]);
  const absent = await absentKinds(db, kinds, schemaNames);
  for (const kind of kinds) {
    if (absent.has(kind.kind)) {
      trace(`${db.label}: introspected ${kind.kind} (none present)`);
      catalog.set(kind.kind, new Map());
      continue;
    }
    const sql = kind.query({ versionNum: options.versionNum });
    const began = performance.now();
    const rows = await db.query<Record<string, any>>(sql, sql.includes('$1') ? [schemaNames] : []);
    const queried = performance.now();
    const objects = await kind.toObjects(rows);
    trace(`${db.label}: introspected ${kind.kind} (${rows.length} rows; query ${Math.round(queried - began)} ms)`, began);
    catalog.set(kind.kind, new Map(objects.map((o: CatalogObject) => [o.key, o])));
  }
  if (options.dependencies) await readDependencies(db, catalog, schemaNames);
  return catalog;
}
