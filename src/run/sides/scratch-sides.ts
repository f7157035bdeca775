import { join } from 'node:path';
import type { MigrationTracer } from '../../apply/apply-statements.js';
import { analyzeInputs, mergeNeeds, type InputNeeds } from '../../apply/input-needs.js';
import { AUTH_SCHEMA, BUILTIN_ROLES, clusterRoles, preludeSql } from '../../apply/prelude.js';
import { buildSideCatalog, cacheSideCatalog, countStatements, type SideCache, type SideRequest } from '../../build-side.js';
import { baseKey } from '../../cache/cache-keys.js';
import type { BackgroundWrites } from '../../cache/background-writes.js';
import { CatalogCache } from '../../cache/catalog-cache.js';
import { CheckpointStore } from '../../cache/checkpoint-store.js';
import { ReferenceManifests } from '../../cache/reference-manifests.js';
import { catalogQueriesFingerprint, type IntrospectOptions } from '../../catalog/introspect.js';
import type { EngineProvider } from '../../engine/start-engine.js';
import { SourceLocator } from '../../locations/source-locator.js';
import type { VerifyOptions } from '../../options.js';
import type { ParsedFile } from '../../parse/parse-sql.js';
import { withPlatform, type Platform } from '../../platforms/platform.js';
import { SideStopped, type BuiltSide } from './built-side.js';
import type { OnFile } from '../../apply/apply-statements.js';
import type { ScratchDatabase } from '../../engine/scratch-database.js';
import { trace } from '../../trace.js';

/**
 * A side applied to a scratch database: the reference (its files), the migrations (baseline + history), or the
 * setup script's database (the reference files in the script's order).
 */
export interface ScratchSidePlan {
  name: 'reference' | 'migrations' | 'setup';
  files: ParsedFile[];
  /** Applies the files its own way (see SideRequest.apply); a SideStopped it throws makes a stopped side, not an error. */
  apply?: (db: ScratchDatabase, files: ParsedFile[], onFile?: OnFile) => Promise<void>;
  /** Return the side's scratch database open (BuiltSide.db) when it was built in one; the caller closes it. */
  keepOpen?: boolean;
  /**
   * The side's files are the reference side's, in the same order, applied its own way (the setup script's,
   * without retry). When the reference side applied every statement where it stands, first time, this side
   * makes the same database, so it takes the reference's catalog instead of a scratch database of its own.
   */
  sameFilesAsReference?: boolean;
}

export interface ScratchSidesRequest {
  sides: ScratchSidePlan[];
  engines: EngineProvider;
  options: VerifyOptions;
  cwd: string;
  /** Where the catalog cache and checkpoints live (see resolveEngineSettings). */
  cacheDir: string;
  /** Schemas compared when the options name none (a live comparison reads only `public` by default). */
  defaultSchemas?: string[];
  /** Read and write the catalog cache and checkpoints (off when a live database is compared). */
  cache: boolean;
  /** A platform's objects (Supabase) made on every side before its files; see src/platforms/. */
  platform?: Platform;
  /** Where the sides' cache writes go on while the run continues (see BackgroundWrites). */
  writes?: BackgroundWrites;
  /** Watches the migrations side's files as they are applied (the lint): they are really applied, never cached. */
  migrationsTracer?: MigrationTracer & { firstTraced: number };
}

/** What the scratch sides of a run share, known before any of them is built. */
export interface ScratchPlan {
  introspect: Omit<IntrospectOptions, 'versionNum'>;
  /** What each side's SQL needs, and all sides together (roles, extensions and the auth stand-in are shared). */
  needs: Map<ScratchSidePlan['name'], InputNeeds>;
  allNeeds: InputNeeds;
}

export function planScratchSides(request: ScratchSidesRequest): ScratchPlan {
  const needs = new Map(request.sides.map((s) => [s.name, withPlatform(analyzeInputs(s.files), request.platform)] as const));
  const allNeeds = [...needs.values()].reduce(mergeNeeds);
  const o = request.options;
  return {
    introspect: { schemas: o.schemas ?? request.defaultSchemas, excludeSchemas: allNeeds.usesAuth ? [AUTH_SCHEMA] : [], comments: o.comments, privileges: o.privileges },
    needs,
    allNeeds,
  };
}

/**
 * Builds every scratch side of a run at once (in parallel: each on its own worker or connection). The sides
 * share what must be equal on both for their catalogs to be comparable: the roles, extensions, the auth
 * stand-in and what is introspected. The side with more statements is marked largest (see ScratchRequest).
 */
export async function buildScratchSides(request: ScratchSidesRequest, plan: ScratchPlan): Promise<BuiltSide[]> {
  const { options, engines, cwd } = request;
  const { allNeeds } = plan;
  const extensions = [...allNeeds.extensions].sort();
  // The cache keys name the engine: PGlite's is known without starting it; a server's once connected.
  // --keep-databases asks for the scratch databases themselves, so nothing comes from the cache.
  const caching = request.cache && options.cache !== false && !options.keepDatabases;
  const knownInfo = caching ? (engines.knownInfo ?? (await engines.info())) : undefined;
  const cacheDir = request.cacheDir;
  const cacheFor = (side: ScratchSidePlan['name'], needs: InputNeeds): SideCache | undefined =>
    !knownInfo
      ? undefined
      : {
          catalogs: new CatalogCache(join(cacheDir, 'catalogs')),
          checkpoints: new CheckpointStore(join(cacheDir, 'checkpoints')),
          references: new ReferenceManifests(join(cacheDir, 'references')),
          base: baseKey({
            side,
            engine: knownInfo,
            queries: catalogQueriesFingerprint(knownInfo.versionNum),
            // The prelude without the roles it makes: roles are made (when missing) on every start, also from
            // a checkpoint, so a migration that names a new role does not invalidate every checkpoint.
            prelude: preludeSql({ ...needs, referencedRoles: new Set(), createdRoles: new Set(), usesAuth: allNeeds.usesAuth }, BUILTIN_ROLES),
            extensions,
            introspect: plan.introspect,
            platform: request.platform?.sql,
          }),
        };
  const largest = request.sides.reduce((a, b) => (countStatements(b.files) >= countStatements(a.files) ? b : a));
  const common = { roles: clusterRoles(allNeeds), usesAuth: allNeeds.usesAuth, platformSql: request.platform?.sql, extensions, introspect: plan.introspect, engines, checkpointThresholdMs: options.checkpointThresholdMs, onNotice: options.onNotice, writes: request.writes };
  const built = new Map<ScratchSidePlan['name'], Promise<BuiltSide & { appliedInOrder?: boolean }>>();
  const build = async (side: ScratchSidePlan): Promise<BuiltSide & { appliedInOrder?: boolean }> => {
    const locator = new SourceLocator(side.files, cwd);
    const needs = plan.needs.get(side.name)!;
    const sideRequest: SideRequest = {
      ...common,
      side: side.name,
      files: side.files,
      needs,
      cache: cacheFor(side.name, needs),
      onFile: (f, index, total) => options.onProgress?.({ phase: 'apply', side: side.name, file: f.file.displayPath, index, total }),
      largest: request.sides.length > 1 && side === largest,
      ...(side.name === 'migrations' && request.migrationsTracer ? { tracer: request.migrationsTracer } : {}),
      ...(side.apply ? { apply: side.apply } : {}),
      ...(side.keepOpen ? { keepOpen: true } : {}),
    };
    const reference = side.sameFilesAsReference ? built.get('reference') : undefined;
    if (reference) {
      const done = await reference;
      if (done.appliedInOrder) {
        trace(`${side.name}: the reference side applied the same files in the same order, first time: its catalog is this side's`);
        await cacheSideCatalog(sideRequest, done.catalog);
        return { name: side.name, catalog: done.catalog, source: done.source, locator };
      }
    }
    const building = buildSideCatalog(sideRequest);
    try {
      const done = await building;
      return { name: side.name, catalog: done.catalog, source: done.source, locator, ...(done.db ? { db: done.db } : {}), ...(done.appliedInOrder ? { appliedInOrder: true } : {}) };
    } catch (error) {
      if (side.apply && error instanceof SideStopped) return { name: side.name, catalog: new Map(), locator, stopped: error };
      throw error;
    }
  };
  // The reference side first: a side with the same files waits for it (see sameFilesAsReference).
  for (const side of [...request.sides].sort((a, b) => Number(a.name !== 'reference') - Number(b.name !== 'reference'))) built.set(side.name, build(side));
  const sides = await Promise.all(request.sides.map((side) => built.get(side.name)!));
  return sides.map(({ appliedInOrder: _, ...side }) => side);
}
