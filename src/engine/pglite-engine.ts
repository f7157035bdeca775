import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import { CHECKPOINT_TARBALL } from '../cache/checkpoint-store.js';
import { pathExists } from '../path-exists.js';
import { registerCleanup } from './cleanup.js';
import { scratchPrefix, sweepScratchLeftovers } from './scratch-leftovers.js';
import { copyTree } from './copy-tree.js';
import { extractTarballFile } from './extract-tarball.js';
import { writeTarballOfTree } from './write-tarball.js';
import { ensureTemplate, writePackagedTemplate } from './pglite-template.js';
import { trace } from '../trace.js';
import type { SharedModules } from './pglite-settings.js';
import type { PgliteWorkerData, WorkerRequestBody, WorkerResponse } from './pglite-worker.js';
import type { CapturedCheckpoint, Engine, EngineInfo, ScratchDatabase, ScratchRequest } from './scratch-database.js';

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
    // Compile the WebAssembly once and share it between the scratch databases. The template is unpacked
    // meanwhile; initdb's module is only needed when the package ships no template for this PGlite.
    const modules = sharedModules();
    modules.catch(() => undefined);
    sweepLeftovers();
    const template = ensureTemplate(options.cacheDir, pgliteVersion(), async () => ({ shared: await modules, initdb: await compileInitdb() }));
    const [shared, { dir, tarball }] = await Promise.all([modules, template]);
    trace('engine: WebAssembly compiled, template ready');
    return new PgliteEngine(PgliteEngine.staticInfo(), dir, tarball, shared, options.inMemoryFromStatements ?? IN_MEMORY_FROM_STATEMENTS);
  }

  /**
   * Starts compiling the WebAssembly (on V8's background threads) while the run still reads and parses its
   * files; a run that then needs no engine (both catalogs cached) only spent that background work.
   */
  static prewarm(): void {
    sharedModules().catch(() => undefined);
  }

  /** Builds the initialised template the package ships (see writePackagedTemplate), when it is missing. */
  static async writePackagedTemplate(): Promise<{ path: string; built: boolean }> {
    return writePackagedTemplate(pgliteVersion(), await sharedModules(), await compileInitdb());
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
   * anyway. A checkpoint opens in place: its tarball is unpacked into the scratch directory.
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
    const inMemory = !request.fromCheckpoint && request.largest === true && (request.statements ?? 0) >= this.inMemoryFromStatements;
    if (inMemory) {
      try {
        const tarball = new Blob([await readFile(this.templateTarball)]);
        return await PgliteWorkerScratch.start(request.label, { tarball, extensions: request.extensions, shared: this.shared }, undefined, async () => undefined, this.starting);
      } catch (error) {
        throw this.startFailed(error);
      }
    }
    const dir = await mkdtemp(scratchPrefix(scratchRoot()));
    // Until the scratch database has started (it then registers its own close, which stops its thread first).
    const unregister = registerCleanup(() => rm(dir, { recursive: true, force: true }));
    const release = async () => {
      unregister();
      await rm(dir, { recursive: true, force: true });
    };
    try {
      const checkpointTarball = request.fromCheckpoint ? join(request.fromCheckpoint, CHECKPOINT_TARBALL) : undefined;
      if (checkpointTarball && (await pathExists(checkpointTarball))) extractTarballFile(checkpointTarball, dir);
      else await copyTree(request.fromCheckpoint ?? this.templateDir, dir);
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
 * Off the critical path, at every engine start (one directory listing): what killed runs left in the scratch
 * folder (see scratch-leftovers.ts). Not once per process: a process that runs many checks (the API, a test
 * runner) outlives runs that other processes had killed meanwhile.
 */
function sweepLeftovers(): void {
  sweepScratchLeftovers(scratchRoot())
    .then((removed) => removed.length && trace(`engine: removed ${removed.length} scratch directories of killed runs`))
    .catch(() => undefined);
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
   * archive is made, so it holds a consistent state that Postgres opens with a short recovery. A checkpoint
   * is one uncompressed tarball: writing a thousand small files into a cache folder on disk took 1–2.5 s on a
   * busy machine, and unpacking one file into a scratch directory costs about what copying a folder did. It is
   * made next to the scratch directories (shared memory when there is some), one file at a time, and copied
   * into the cache folder by write(), which can run while the run goes on.
   */
  async captureCheckpoint(): Promise<CapturedCheckpoint> {
    await this.exec('CHECKPOINT');
    const staging = `${scratchPrefix(scratchRoot())}checkpoint-${randomUUID()}.tar`;
    const unregister = registerCleanup(() => rm(staging, { force: true }));
    const discard = async () => {
      unregister();
      await rm(staging, { force: true });
    };
    try {
      if (this.dataDir) writeTarballOfTree(this.dataDir, staging);
      else {
        // Straight from PGlite's in-memory file system; its public dump (slower: the archive is built in
        // JavaScript) when the internals that needs are not there.
        const [written] = (await this.send({ op: 'save', file: staging })) as [boolean];
        if (!written) await writeFile(staging, ((await this.send({ op: 'dump' })) as [Uint8Array])[0]);
      }
    } catch (error) {
      await discard();
      throw error;
    }
    return {
      write: async (destination) => {
        await mkdir(destination, { recursive: true });
        await copyFile(staging, join(destination, CHECKPOINT_TARBALL));
      },
      discard,
    };
  }

  async saveCheckpoint(destination: string): Promise<void> {
    const captured = await this.captureCheckpoint();
    try {
      await captured.write(destination);
    } finally {
      await captured.discard();
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

function pgliteDist(): string {
  return dirname(require.resolve('@electric-sql/pglite'));
}

/** What running initdb needs: the modules every instance shares, and initdb's own. */
export async function initdbModules(): Promise<{ shared: SharedModules; initdb: WebAssembly.Module }> {
  const [shared, initdb] = await Promise.all([sharedModules(), compileInitdb()]);
  return { shared, initdb };
}

let compiled: Promise<SharedModules> | undefined;

/**
 * The WebAssembly is compiled once per process and shared by every scratch database of every run in it. V8
 * compiles a module's functions when first called and optimises the hot ones later, and that work belongs to
 * the module: a process that runs the check again (the API, a test runner) starts with the optimised code
 * instead of paying for it on every run. The first call may come before a run knows it needs the engine
 * (see PgliteEngine.prewarm).
 */
function sharedModules(): Promise<SharedModules> {
  compiled ??= Promise.all([readFile(join(pgliteDist(), 'pglite.wasm')).then((b) => WebAssembly.compile(b)), readFile(join(pgliteDist(), 'pglite.data'))]).then(
    ([pgliteWasmModule, fsBundleBytes]) => ({ pgliteWasmModule, fsBundle: new Blob([fsBundleBytes]) }),
  );
  // A failed read (a broken install) is not remembered: the next run tries again.
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

async function compileInitdb(): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await readFile(join(pgliteDist(), 'initdb.wasm')));
}

/** PGlite 0.5 embeds Postgres 18; the exact minor is read from the engine when it matters. */
const POSTGRES_VERSION = '18';
const POSTGRES_VERSION_NUM = 180000;

export function pgliteVersion(): string {
  // The package's exports do not expose package.json; it sits next to dist/.
  const pkg = require(join(pgliteDist(), '..', 'package.json')) as { version: string };
  return pkg.version;
}

/**
 * From this many statements on the larger side, the in-memory storage wins. Measured on 2 cores: loading the
 * data directory into memory costs about 1 s more at start, and DDL then runs about 1.5× faster; at 1,800
 * statements (M) both storages take the same time, at 9,000 (L) memory is 3.5 s faster.
 */
const IN_MEMORY_FROM_STATEMENTS = 3000;
