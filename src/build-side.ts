import type { SideSourceInfo } from './report/finding.js';
import { applyMigrations, applyReference, type MigrationTracer, type OnFile } from './apply/apply-statements.js';
import type { InputNeeds } from './apply/input-needs.js';
import { runPrelude } from './apply/prelude.js';
import type { BackgroundWrites } from './cache/background-writes.js';
import type { CatalogCache } from './cache/catalog-cache.js';
import { chainKeys, projectKey } from './cache/cache-keys.js';
import { FINGERPRINT_SQL, type CheckpointStore } from './cache/checkpoint-store.js';
import type { ReferenceManifests } from './cache/reference-manifests.js';
import { planReferenceReuse, referenceManifest } from './cache/reference-reuse.js';
import type { Checkpoints } from './engine/checkpoints.js';
import type { Catalog } from './catalog/catalog-object.js';
import { introspectCatalog, type IntrospectOptions } from './catalog/introspect.js';
import type { EngineProvider } from './engine/start-engine.js';
import type { Engine, ScratchDatabase } from './engine/scratch-database.js';
import type { ParsedFile } from './parse/parse-sql.js';
import { trace } from './trace.js';

export interface SideCache {
  catalogs: CatalogCache;
  checkpoints: CheckpointStore;
  /** The reference state saved last (see planReferenceReuse); absent: the reference is not checkpointed. */
  references?: ReferenceManifests;
  /** Key of everything but the files (see baseKey). */
  base: string;
}

export interface SideRequest {
  side: 'reference' | 'migrations' | 'setup';
  files: ParsedFile[];
  needs: InputNeeds;
  /** Roles the inputs of both sides name or create; a server (roles are cluster-wide) creates the missing ones first. */
  roles: string[];
  /** Either side calls auth.*: both get the stand-in. */
  usesAuth: boolean;
  /** A platform's objects (Supabase), made on a fresh scratch database after the roles, before any input. */
  platformSql?: string;
  extensions: string[];
  introspect: Omit<IntrospectOptions, 'versionNum'>;
  engines: EngineProvider;
  cache?: SideCache;
  checkpointThresholdMs?: number;
  onFile?: OnFile;
  /** This side has more statements than the other (see ScratchRequest.largest). */
  largest?: boolean;
  /**
   * Where cache writes go on while the run continues (see BackgroundWrites); absent: each is awaited where
   * it is made.
   */
  writes?: BackgroundWrites;
  /** One-line notices for the user (a checkpoint that could not be saved). */
  onNotice?: (message: string) => void;
  /**
   * Watches the migrations it traces as they are applied (the lint). Those files must really be applied:
   * no cached catalog is used, and a checkpoint only up to the first traced file.
   */
  tracer?: MigrationTracer & { firstTraced: number };
  /**
   * Applies the files instead of the side's usual way (the setup side runs them as its script does). When it
   * throws, nothing is introspected or cached.
   */
  apply?: (db: ScratchDatabase, files: ParsedFile[], onFile?: OnFile) => Promise<void>;
  /**
   * Hand the scratch database to the caller once it is introspected, open, instead of closing it (the fix's
   * proof goes on there); the caller closes it. A catalog from the cache comes without one.
   */
  keepOpen?: boolean;
}

/** How a side's catalog was obtained, for the report and for tests of the cache. */
export type SideSource = SideSourceInfo;

/**
 * Applying a history costs more than saving its state only past this much time; below it the checkpoint
 * would slow the run down more than it could ever save.
 */
const CHECKPOINT_WORTH_MS = 300;

/**
 * Produces one side's catalog: from the catalog cache when nothing changed; else in a scratch database,
 * starting (migrations side) from the checkpoint of the longest unchanged prefix of the history.
 */
export interface SideCatalog {
  catalog: Catalog;
  source: SideSource;
  /** The side's scratch database, open, when the request kept it (SideRequest.keepOpen). */
  db?: ScratchDatabase;
  /** The reference was applied here, every statement where it stands, first time (see applyReference). */
  appliedInOrder?: boolean;
}

export async function buildSideCatalog(request: SideRequest): Promise<SideCatalog> {
  const keys = request.cache ? chainKeys(request.cache.base, request.files) : [];
  const finalKey = keys.at(-1);
  if (request.cache && finalKey && !request.tracer) {
    const cached = await request.cache.catalogs.get(finalKey);
    if (cached) return { catalog: cached, source: { from: 'catalog-cache' } };
  }
  let t = performance.now();
  const engine = await request.engines.get();
  trace(`${request.side}: engine ready`, t);
  const checkpointable = request.cache && engine.supportsCheckpoints && !(engine.checkpoints && changesRoles(request.files));
  const useCheckpoints = checkpointable && request.side === 'migrations';
  const store: Checkpoints | undefined = useCheckpoints ? (engine.checkpoints ?? request.cache!.checkpoints) : undefined;
  const referenceStore = checkpointable && request.side === 'reference' && !request.apply && request.cache!.references ? (engine.checkpoints ?? request.cache!.checkpoints) : undefined;
  if (referenceStore && finalKey) {
    const reused = await reuseReference(request, referenceStore, finalKey);
    if (reused) return reused;
  }
  const { db, start } = await openSide(request, engine, store, keys);
  trace(`${request.side}: scratch database open${start ? ' from checkpoint' : ''}`, t);
  t = performance.now();
  let kept = false;
  try {
    const first = start ? start.index + 1 : 0;
    // Roles are cluster-wide: a server's checkpoint (a database copy) does not hold them, so they are made
    // for every run, also one that starts from a checkpoint.
    await engine.prepareRoles?.(request.roles, db);
    // Every role either side names exists on both, as on one server: SQL that checks for a role behaves alike.
    await runPrelude(db, { ...request.needs, referencedRoles: new Set(request.roles) }, request.usesAuth);
    // A checkpoint was saved after the platform was made: it has it already.
    if (request.platformSql && !start) await db.exec(request.platformSql);
    const remaining = request.files.slice(first);
    const onFile: OnFile | undefined = request.onFile && ((file, index) => request.onFile!(file, first + index, request.files.length));
    const applied = await applyFiles(request, db, remaining, onFile, store && { store, keys });
    trace(`${request.side}: applied ${remaining.length} files`, t);
    if (referenceStore && finalKey && performance.now() - t > (request.checkpointThresholdMs ?? CHECKPOINT_WORTH_MS)) {
      const saving = performance.now();
      // The manifest names the checkpoint: it is written once the checkpoint is.
      await saveCheckpoint(referenceStore, finalKey, projectKey(request.files), db, request, () => request.cache!.references!.put(request.cache!.base, referenceManifest(finalKey, request.files)).catch(() => undefined));
      trace(`${request.side}: checkpoint taken`, saving);
    }
    t = performance.now();
    const catalog = await introspectCatalog(db, { ...request.introspect, versionNum: engine.info.versionNum });
    trace(`${request.side}: introspected`, t);
    if (request.cache && finalKey) await putCatalog(request, finalKey, catalog);
    const source: SideSource = start ? { from: 'checkpoint', replayed: remaining.length, of: request.files.length } : { from: 'scratch', replayed: request.files.length };
    const inOrder = !start && applied?.inOrder ? { appliedInOrder: true } : {};
    if (request.keepOpen) {
      kept = true;
      return { catalog, source, db, ...inOrder };
    }
    return { catalog, source, ...inOrder };
  } finally {
    if (!kept) {
      const closing = performance.now();
      await db.close();
      trace(`${request.side}: closed`, closing);
    }
  }
}

/** The side's scratch database: from the checkpoint of the longest unchanged prefix when there is a good one, else empty. */
async function openSide(request: SideRequest, engine: Engine, store: Checkpoints | undefined, keys: string[]): Promise<{ db: ScratchDatabase; start?: { index: number } }> {
  // A traced file must really be applied: start at most from the state before the first one.
  const start = store ? await store.findLongest(request.tracer ? keys.slice(0, request.tracer.firstTraced) : keys) : undefined;
  const fromCheckpoint = start ? await openCheckpoint(request, store!, start) : undefined;
  if (fromCheckpoint) return { db: fromCheckpoint, start };
  return { db: await engine.createScratch({ label: request.side, extensions: request.extensions, statements: countStatements(request.files), largest: request.largest }) };
}

/**
 * Applies the files still to apply. With checkpoints, the states before and after the newest migration are
 * kept: the next run usually adds a migration (starts from the last state) or edits the newest one (starts
 * from the one before).
 */
async function applyFiles(request: SideRequest, db: ScratchDatabase, remaining: ParsedFile[], onFile: OnFile | undefined, checkpoints: { store: Checkpoints; keys: string[] } | undefined): Promise<{ inOrder: boolean } | void> {
  if (request.apply) return request.apply(db, remaining, onFile);
  if (request.side === 'reference') return applyReference(db, remaining, onFile);
  if (!checkpoints || remaining.length === 0) return applyMigrations(db, remaining, onFile, request.tracer);
  const { store, keys } = checkpoints;
  const began = performance.now();
  const worthSaving = () => performance.now() - began > (request.checkpointThresholdMs ?? CHECKPOINT_WORTH_MS);
  await applyMigrations(db, remaining.slice(0, -1), onFile, request.tracer);
  if (remaining.length > 1 && worthSaving()) await saveCheckpoint(store, keys[keys.length - 2], projectKey(request.files), db, request);
  await applyMigrations(db, remaining.slice(-1), onFile && ((file) => onFile(file, remaining.length - 1, remaining.length)), request.tracer);
  if (worthSaving()) await saveCheckpoint(store, keys[keys.length - 1], projectKey(request.files), db, request);
}

/**
 * Starts a scratch database from a checkpoint, or returns undefined (and deletes the checkpoint) when the
 * engine cannot start from it or the database it starts is not the one that was saved.
 */
async function openCheckpoint(request: SideRequest, store: Checkpoints, start: { path: string; fingerprint: string }): Promise<ScratchDatabase | undefined> {
  const engine = await request.engines.get();
  let db: ScratchDatabase | undefined;
  try {
    db = await engine.createScratch({ label: request.side, extensions: request.extensions, fromCheckpoint: start.path });
    const [row] = await db.query<{ fingerprint: string }>(FINGERPRINT_SQL);
    if (row?.fingerprint === start.fingerprint) return db;
  } catch {
    // Damaged: fall through, delete it and start from scratch.
  }
  await db?.close();
  await store.discard(start.path);
  return undefined;
}

export function countStatements(files: ParsedFile[]): number {
  return files.reduce((n, f) => n + f.statements.length, 0);
}

/**
 * Saves a checkpoint, best effort: a checkpoint only speeds up a later run, so failing to save one (a full
 * disk, a session someone opened in a server's scratch database) is a notice, never a failed verification.
 */
async function saveCheckpoint(store: Checkpoints, key: string, project: string, db: ScratchDatabase, request: SideRequest, saved?: () => Promise<void>): Promise<void> {
  const failed = (error: unknown) => request.onNotice?.(`could not save a ${db.label === 'reference' ? 'reference' : 'migration'} checkpoint (the next run replays more): ${(error as Error).message}`);
  try {
    const [row] = await db.query<{ fingerprint: string }>(FINGERPRINT_SQL);
    if (db.captureCheckpoint && request.writes) {
      // The state is taken now; the write goes on while the run continues (see BackgroundWrites).
      const captured = await db.captureCheckpoint();
      request.writes.add(
        store
          .save(key, row.fingerprint, (path) => captured.write(path), project)
          .then(() => saved?.())
          .catch(failed)
          .finally(() => captured.discard()),
      );
    } else {
      await store.save(key, row.fingerprint, (path) => db.saveCheckpoint!(path), project);
      await saved?.();
    }
  } catch (error) {
    failed(error);
  }
}

/**
 * A side whose catalog another side's build gave (see ScratchSidePlan.sameFilesAsReference) caches it under its
 * own key, as if it had built it: the next run finds it there.
 */
export async function cacheSideCatalog(request: SideRequest, catalog: Catalog): Promise<void> {
  const finalKey = request.cache ? chainKeys(request.cache.base, request.files).at(-1) : undefined;
  if (finalKey) await putCatalog(request, finalKey, catalog);
}

/** Puts a side's catalog in the cache: in the background when the run has a place for that (see BackgroundWrites). */
async function putCatalog(request: SideRequest, key: string, catalog: Catalog): Promise<void> {
  const writing = request.cache!.catalogs.put(key, catalog);
  if (!request.writes) return writing;
  request.writes.add(writing.catch((error: unknown) => request.onNotice?.(`could not save the ${request.side} catalog in the cache (the next run rebuilds it): ${(error as Error).message}`)));
}

/**
 * The reference side from the state of the reference saved last plus the statements added since, when
 * planReferenceReuse shows that equals a full rebuild; undefined (build it from scratch) otherwise, also when
 * the added statements fail there, so errors are reported as a full rebuild reports them.
 */
async function reuseReference(request: SideRequest, store: Checkpoints, finalKey: string): Promise<{ catalog: Catalog; source: SideSource } | undefined> {
  const cache = request.cache!;
  let t = performance.now();
  const manifest = await cache.references!.get(cache.base);
  if (!manifest) return undefined;
  const plan = planReferenceReuse(request.files, manifest);
  trace(`reference: ${plan.reuse ? `reusing the saved reference, ${plan.count} statements added` : `not reusing the saved reference: ${plan.why}`}`, t);
  if (!plan.reuse) return undefined;
  const start = await store.findLongest([manifest.key]);
  const db = start && (await openCheckpoint(request, store, start));
  if (!db) return undefined;
  trace('reference: scratch database open from checkpoint', t);
  const engine = await request.engines.get();
  try {
    t = performance.now();
    await engine.prepareRoles?.(request.roles, db);
    await runPrelude(db, { ...request.needs, referencedRoles: new Set(request.roles) }, request.usesAuth);
    await applyReference(db, plan.added);
    trace(`reference: applied ${plan.count} added statements`, t);
    t = performance.now();
    const catalog = await introspectCatalog(db, { ...request.introspect, versionNum: engine.info.versionNum });
    trace('reference: introspected', t);
    await putCatalog(request, finalKey, catalog);
    return { catalog, source: { from: 'checkpoint', replayed: plan.added.length, of: request.files.length } };
  } catch (error) {
    trace(`reference: the added statements failed on the saved reference, rebuilding it (${(error as Error).message})`);
    return undefined;
  } finally {
    const closing = performance.now();
    await db.close();
    trace('reference: closed', closing);
  }
}

/**
 * Statements that change roles, which live outside any one database: a server's checkpoint (a copy of one
 * database) cannot hold what they did, so such a history is not checkpointed on a server.
 */
const ROLE_STATEMENTS = new Set(['CreateRoleStmt', 'AlterRoleStmt', 'AlterRoleSetStmt', 'DropRoleStmt', 'GrantRoleStmt', 'AlterDatabaseSetStmt']);

function changesRoles(files: ParsedFile[]): boolean {
  return files.some((f) => f.statements.some((s) => ROLE_STATEMENTS.has(s.type)));
}

