import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EngineError } from '../errors.js';
import { registerCleanup } from './cleanup.js';
import { loadPgliteExtensions } from './pglite-extensions.js';
import type { Engine, EngineInfo, ScratchDatabase, ScratchRequest } from './scratch-database.js';

const require = createRequire(import.meta.url);

export interface PgliteEngineOptions {
  /** Where the initialised data directory is kept between runs (safe to delete). */
  cacheDir: string;
}

/**
 * Embedded Postgres. A fresh PGlite runs initdb, which costs seconds; instead, one initialised data directory
 * is kept on disk per PGlite version and each scratch database starts from a copy of it.
 */
export class PgliteEngine implements Engine {
  private constructor(
    readonly info: EngineInfo,
    private readonly templateDir: string,
    private readonly shared: Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>,
  ) {}

  static async start(options: PgliteEngineOptions): Promise<PgliteEngine> {
    const dist = dirname(require.resolve('@electric-sql/pglite'));
    const version = pgliteVersion();
    // Compile the WebAssembly once and share it between the two scratch databases.
    const [pgliteWasmModule, initdbWasmModule, fsBundleBytes] = await Promise.all([
      readFile(join(dist, 'pglite.wasm')).then((b) => WebAssembly.compile(b)),
      readFile(join(dist, 'initdb.wasm')).then((b) => WebAssembly.compile(b)),
      readFile(join(dist, 'pglite.data')),
    ]);
    const shared = { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([fsBundleBytes]) };
    const templateDir = await ensureTemplate(options.cacheDir, version, shared);
    return new PgliteEngine({ name: 'pglite', version: `${POSTGRES_VERSION} (PGlite ${version})`, versionNum: POSTGRES_VERSION_NUM }, templateDir, shared);
  }

  async createScratch(request: ScratchRequest): Promise<ScratchDatabase> {
    const dir = await mkdtemp(join(tmpdir(), 'verify-schema-'));
    const unregister = registerCleanup(() => rm(dir, { recursive: true, force: true }));
    try {
      await cp(this.templateDir, dir, { recursive: true });
      const db = await PGlite.create({ ...this.shared, dataDir: dir, extensions: await loadPgliteExtensions(request.extensions), relaxedDurability: true });
      return new PgliteScratch(request.label, db, async () => {
        unregister();
        await rm(dir, { recursive: true, force: true });
      });
    } catch (error) {
      unregister();
      await rm(dir, { recursive: true, force: true });
      throw new EngineError(`could not start the embedded Postgres (PGlite): ${(error as Error).message}; try --no-cache or delete the cache folder`, { cause: error });
    }
  }

  async close(): Promise<void> {}
}

class PgliteScratch implements ScratchDatabase {
  private closed = false;
  constructor(
    readonly label: string,
    private readonly db: PGlite,
    private readonly release: () => Promise<void>,
  ) {}

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.db.close();
    } finally {
      await this.release();
    }
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
async function ensureTemplate(cacheDir: string, version: string, shared: Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>): Promise<string> {
  const dir = join(cacheDir, `pglite-${version}-datadir`);
  const marker = join(dir, '.verify-schema-template');
  if (await exists(marker)) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(cacheDir, { recursive: true });
  const building = await mkdtemp(join(cacheDir, `.building-${version}-`));
  try {
    const db = await PGlite.create({ ...shared, dataDir: building });
    await db.close();
    await writeFile(join(building, '.verify-schema-template'), `PGlite ${version}\n`);
    try {
      await rename(building, dir);
    } catch {
      // Another run finished first: use its template.
      await rm(building, { recursive: true, force: true });
    }
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw new EngineError(`could not initialise the embedded Postgres (PGlite) in ${cacheDir}: ${(error as Error).message}`, { cause: error });
  }
  return dir;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
