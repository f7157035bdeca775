import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import { CHECKPOINT_TARBALL } from '../cache/checkpoint-store.js';
import { pathExists } from '../path-exists.js';
import { registerCleanup } from './cleanup.js';
import { copyTree } from './copy-tree.js';
import { extractTarball } from './extract-tarball.js';
import { trace } from '../trace.js';
import type { SharedModules } from './pglite-settings.js';
import type { PgliteWorkerData, WorkerRequestBody, WorkerResponse } from './pglite-worker.js';
import type { Engine, EngineInfo, ScratchDatabase, ScratchRequest } from './scratch-database.js';

const require = createRequire(import.meta.url);

export interface PgliteEngineOptions {
  /** Where the initialised data directory is kept between runs (safe to delete). */
  cacheDir: string;
  /** The larger side runs in memory from this many statements on (default IN_MEMORY_FROM_STATEMENTS). */
  inMemoryFromStatements?: number;
}

/**
 * Embedded Postgres. A fresh PGlite runs initdb, which costs seconds; instead, one initialised data directory
 * is kept on disk per PGlite version and each scratch database starts from a copy of it.
 */
export class PgliteEngine implements Engine {
  readonly supportsCheckpoints = true;
  /** Scratch databases not yet closed: closing the engine stops their threads (see close). */
  private readonly open = new Set<ScratchDatabase>();
  /** Threads still starting, each with the function that stops it. */
  private readonly starting = new Set<() => void>();
  private closed = false;

  private constructor(
    readonly info: EngineInfo,
    private readonly templateDir: string,
    private readonly templateTarball: string,
    private readonly shared: SharedModules,
    private readonly inMemoryFromStatements: number,
  ) {}

  static async start(options: PgliteEngineOptions): Promise<PgliteEngine> {
    const dist = dirname(require.resolve('@electric-sql/pglite'));
    const version = pgliteVersion();
    // Compile the WebAssembly once and share it between the two scratch databases. initdb's module is
    // only needed the first time, to build the template.
    const [pgliteWasmModule, fsBundleBytes] = await Promise.all([
      readFile(join(dist, 'pglite.wasm')).then((b) => WebAssembly.compile(b)),
      readFile(join(dist, 'pglite.data')),
    ]);
    const shared = { pgliteWasmModule, fsBundle: new Blob([fsBundleBytes]) };
    trace('engine: WebAssembly compiled');
    const template = await ensureTemplate(options.cacheDir, version, shared, async () => WebAssembly.compile(await readFile(join(dist, 'initdb.wasm'))));
    return new PgliteEngine(PgliteEngine.staticInfo(), template.dir, template.tarball, shared, options.inMemoryFromStatements ?? IN_MEMORY_FROM_STATEMENTS);
  }

  /** PGlite's identity is fixed by the installed package, so it is known without starting anything. */
  static staticInfo(): EngineInfo {
    return { name: 'pglite', version: `${POSTGRES_VERSION} (PGlite ${pgliteVersion()})`, versionNum: POSTGRES_VERSION_NUM };
  }

  /**
   * Two storages. By default a copy of the data directory opened in place, which starts fastest. For the
   * larger side of a large run: the data directory loaded into memory from a tarball, which starts about a
   * second later and holds about 200 MB more at 500 tables, but runs DDL about 1.5× faster (no
   * file system calls per page). Only one side gets it, to bound memory; the smaller side finishes first
   * anyway. A checkpoint opens in place (one saved as a tarball by the fallback, in memory).
   */
  async createScratch(request: ScratchRequest): Promise<ScratchDatabase> {
    if (this.closed) throw new EngineError('the embedded Postgres engine is closed');
    const scratch = await this.startScratch(request);
    // The engine was closed while this one started (the other side failed): it must not outlive the run.
    if (this.closed) {
      await scratch.close();
      throw new EngineError('the embedded Postgres engine is closed');
    }
    this.open.add(scratch);
    scratch.onClose(() => this.open.delete(scratch));
    return scratch;
  }

  private async startScratch(request: ScratchRequest): Promise<PgliteWorkerScratch> {
    const checkpointTarball = request.fromCheckpoint ? join(request.fromCheckpoint, CHECKPOINT_TARBALL) : undefined;
    const inMemory = checkpointTarball ? await pathExists(checkpointTarball) : request.largest === true && (request.statements ?? 0) >= this.inMemoryFromStatements;
    if (inMemory) {
      try {
        const tarball = new Blob([await readFile(checkpointTarball ?? this.templateTarball)]);
        return await PgliteWorkerScratch.start(request.label, { tarball, extensions: request.extensions, shared: this.shared }, undefined, async () => undefined, this.starting);
      } catch (error) {
        throw this.startFailed(error);
      }
    }
    const dir = await mkdtemp(join(scratchRoot(), 'verify-schema-'));
    // Until the scratch database has started (it then registers its own close, which stops its thread first).
    const unregister = registerCleanup(() => rm(dir, { recursive: true, force: true }));
    const release = async () => {
      unregister();
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await copyTree(request.fromCheckpoint ?? this.templateDir, dir);
      return await PgliteWorkerScratch.start(request.label, { dataDir: dir, extensions: request.extensions, shared: this.shared }, dir, release, this.starting);
    } catch (error) {
      await release();
      throw this.startFailed(error);
    }
  }

  private startFailed(error: unknown): EngineError {
    return new EngineError(`could not start the embedded Postgres (PGlite): ${(error as Error).message}; delete the cache folder ${dirname(this.templateDir)} and try again`, { cause: error });
  }

  /**
   * Stops every scratch database still open. A run that failed on one side closes the engine while the
   * other side may still be starting or applying: its thread must stop now, or it keeps the process alive
   * (and its data directory must not be deleted under a running Postgres).
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const stop of [...this.starting]) stop();
    await Promise.allSettled([...this.open].map((scratch) => scratch.close()));
  }
}

/**
 * Scratch copies of the data directory go to shared memory when the machine has it: Postgres writes every
 * page it touches, and there is no reason for a throw-away database to reach the disk.
 */
function scratchRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/**
 * The worker script is loaded from dist/ in every case: under the test runner this module runs from src/,
 * where only the TypeScript source exists (`npm test` builds dist/ first).
 */
const WORKER_URL = new URL('../../dist/engine/pglite-worker.js', import.meta.url);

/** A ScratchDatabase whose PGlite lives in a worker thread (see pglite-worker.ts). */
class PgliteWorkerScratch implements ScratchDatabase {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (rows: unknown[] | undefined) => void; reject: (error: unknown) => void }>();
  private closed = false;
  private readonly closeListeners: (() => void)[] = [];
  /** Ctrl-C or a failed run stops the thread before its data directory is deleted. */
  private readonly unregister = registerCleanup(() => this.close());

  private constructor(
    readonly label: string,
    private readonly worker: Worker,
    /** The data directory on disk, or undefined when it lives in the worker's memory. */
    private readonly dataDir: string | undefined,
    private readonly release: () => Promise<void>,
  ) {
    worker.on('message', (message: WorkerResponse) => {
      if (message.id === 0) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if ('ok' in message && message.ok) waiter.resolve(message.rows);
      else if ('error' in message) waiter.reject(Object.assign(new Error(String(message.error.message)), message.error));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => {
      if (!this.closed) this.failAll(new Error(`PGlite worker stopped unexpectedly (exit code ${code})`));
    });
  }

  /**
   * Starts the thread and waits for its Postgres. A thread still starting is stopped (and the start fails) by
   * Ctrl-C's clean-up or by `starting` being stopped: the engine stops it when the run ends early.
   */
  static start(label: string, data: PgliteWorkerData, dataDir: string | undefined, release: () => Promise<void>, starting: Set<() => void>): Promise<PgliteWorkerScratch> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_URL, { workerData: data });
      const stop = () => {
        done();
        void worker.terminate().catch(() => undefined);
        reject(new EngineError(`the ${label} scratch database was stopped while it started`));
      };
      const unregister = registerCleanup(stop);
      starting.add(stop);
      const done = () => {
        unregister();
        starting.delete(stop);
        worker.off('message', onFirst);
        worker.off('error', onError);
      };
      const onError = (error: unknown) => {
        done();
        void worker.terminate().catch(() => undefined);
        reject(error);
      };
      const onFirst = (message: WorkerResponse) => {
        if (message.id !== 0) return;
        done();
        if ('ready' in message && message.ready) resolve(new PgliteWorkerScratch(label, worker, dataDir, release));
        else {
          void worker.terminate();
          reject(Object.assign(new Error(String((message as { error: Record<string, unknown> }).error.message)), (message as { error: Record<string, unknown> }).error));
        }
      };
      worker.on('message', onFirst);
      worker.on('error', onError);
    });
  }

  private send(request: WorkerRequestBody): Promise<unknown[] | undefined> {
    if (this.closed) return Promise.reject(new Error(`${this.label} scratch database is closed`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private failAll(error: unknown): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  async exec(sql: string): Promise<void> {
    await this.send({ op: 'exec', sql });
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return ((await this.send({ op: 'query', sql, params })) ?? []) as T[];
  }

  /**
   * CHECKPOINT writes every dirty page to the data directory; nothing else runs in this database while the
   * copy is made, so the copy is a consistent state that Postgres opens with a short recovery.
   */
  async saveCheckpoint(destination: string): Promise<void> {
    await this.exec('CHECKPOINT');
    if (this.dataDir) {
      await copyTree(this.dataDir, destination);
      return;
    }
    // An in-memory database is saved as a directory too: a checkpoint mostly serves a run that applies one
    // or two more migrations, and a directory opens in place in about a second, where loading the tarball
    // of a large history into memory took five (L: 100 MB).
    const [written] = (await this.send({ op: 'save', destination })) as [boolean];
    if (written) return;
    const [tarball] = (await this.send({ op: 'dump' })) as [Uint8Array];
    try {
      await extractTarball(tarball, destination);
    } catch {
      await rm(destination, { recursive: true, force: true });
      await mkdir(destination, { recursive: true });
      await writeFile(join(destination, CHECKPOINT_TARBALL), tarball);
    }
  }

  /**
   * A scratch database is thrown away, so there is nothing to flush: stopping the thread and deleting the
   * directory is enough (a clean PGlite shutdown would write a checkpoint first).
   */
  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unregister();
    for (const listener of this.closeListeners) listener();
    this.failAll(new Error(`${this.label} scratch database was closed`));
    // Stopping a thread that holds a Postgres instance takes about 0.3 s (its WebAssembly memory is freed);
    // nothing waits for that. The data directory can go at once: the thread never touches it again.
    this.worker.unref();
    void this.worker.terminate().catch(() => undefined);
    await this.release();
  }

}

/** PGlite 0.5 embeds Postgres 18; the exact minor is read from the engine when it matters. */
const POSTGRES_VERSION = '18';
const POSTGRES_VERSION_NUM = 180000;

function pgliteVersion(): string {
  // The package's exports do not expose package.json; it sits next to dist/.
  const pkg = require(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json')) as { version: string };
  return pkg.version;
}

/**
 * Returns an initialised data directory for this PGlite version, creating it when missing. The directory is
 * built under a temporary name and renamed into place, so a concurrent run or an interrupted one never sees
 * a half-written template; a marker file written last tells a complete template from a damaged one.
 */
async function ensureTemplate(
  cacheDir: string,
  version: string,
  shared: SharedModules,
  compileInitdb: () => Promise<WebAssembly.Module>,
): Promise<{ dir: string; tarball: string }> {
  const dir = join(cacheDir, `pglite-${version}-${TEMPLATE_LAYOUT}-datadir`);
  const tarball = `${dir}.tar`;
  const marker = join(dir, '.verify-schema-template');
  if ((await pathExists(marker)) && (await pathExists(tarball))) return { dir, tarball };
  await rm(dir, { recursive: true, force: true });
  await mkdir(cacheDir, { recursive: true });
  const building = await mkdtemp(join(cacheDir, `.building-${version}-`));
  try {
    // Every scratch database copies or loads this directory, so it is kept small: 1 MB WAL segments instead
    // of 16, no template0 (7 MB that nothing reads; template1 stays for CREATE DATABASE), and none of the
    // WAL segments Postgres pre-allocates for later (6 MB).
    // PGlite's JavaScript is loaded in this thread only here: scratch databases load it in their own threads.
    const [{ PGlite }, { pgliteStartParams }] = await Promise.all([import('@electric-sql/pglite'), import('./pglite-settings.js')]);
    const settings = pgliteStartParams();
    const created = await PGlite.create({ ...shared, initdbWasmModule: await compileInitdb(), dataDir: building, initDbStartParams: ['--wal-segsize=1'], startParams: settings });
    for (const sql of ['ALTER DATABASE template0 IS_TEMPLATE false', 'DROP DATABASE template0', 'CHECKPOINT']) await created.exec(sql);
    let segment = await currentWalSegment(created);
    await created.close();
    await removeFutureWal(building, segment);
    const reopened = await PGlite.create({ ...shared, dataDir: building, startParams: settings });
    const dump = await reopened.dumpDataDir('none');
    segment = await currentWalSegment(reopened);
    await reopened.close();
    await removeFutureWal(building, segment);
    // The tarball (for the in-memory storage) sits next to the directory, so directory copies stay small.
    // It is written before the directory is renamed into place, and the marker is checked for both.
    await writeFile(tarball, new Uint8Array(await dump.arrayBuffer()));
    await writeFile(join(building, '.verify-schema-template'), `PGlite ${version}\n`);
    try {
      await rename(building, dir);
    } catch {
      // Another run finished first: use its template.
      await rm(building, { recursive: true, force: true });
    }
    // Templates of other PGlite versions or layouts are never used again.
    const stale = (await readdir(cacheDir)).filter((name) => /^pglite-.+-datadir(\.tar)?$/.test(name) && name !== basename(dir) && name !== basename(tarball));
    await Promise.all(stale.map((name) => rm(join(cacheDir, name), { recursive: true, force: true })));
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw new EngineError(`could not initialise the embedded Postgres (PGlite) in ${cacheDir}: ${(error as Error).message}`, { cause: error });
  }
  return { dir, tarball };
}

/**
 * Deletes the WAL segments after the one being written (`current`). Postgres renames old segments into
 * future ones to reuse them; a stopped cluster needs none of them (it creates segments as it writes), and
 * they would be copied into every scratch database. The segment after the current one is kept too, in case
 * the shutdown checkpoint's record crossed into it.
 */
async function removeFutureWal(dataDir: string, current: string): Promise<void> {
  const walDir = join(dataDir, 'pg_wal');
  const segments = (await readdir(walDir)).filter((name) => /^[0-9A-F]{24}$/.test(name) && name > current).sort();
  await Promise.all(segments.slice(1).map((name) => rm(join(walDir, name))));
}

async function currentWalSegment(db: Pick<import('@electric-sql/pglite').PGlite, 'query'>): Promise<string> {
  const { rows } = await db.query<{ segment: string }>('SELECT pg_walfile_name(pg_current_wal_insert_lsn()) AS segment');
  return rows[0].segment;
}

/** Changes when the template's layout changes (initdb options, what is removed), so an older cached template is not used. */
const TEMPLATE_LAYOUT = 'w1t2';

/**
 * From this many statements on the larger side, the in-memory storage wins. Measured on 2 cores: loading the
 * data directory into memory costs about 1 s more at start, and DDL then runs about 1.5× faster; at 1,800
 * statements (M) both storages take the same time, at 9,000 (L) memory is 3.5 s faster.
 */
const IN_MEMORY_FROM_STATEMENTS = 3000;
