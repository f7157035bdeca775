/**
 * One PGlite instance in a worker thread. WebAssembly runs on the thread that owns it, so two scratch
 * databases in the main thread would take turns on one core; in two workers they start and apply in parallel.
 * The main thread compiles the WebAssembly once and hands the compiled module to each worker.
 */
import { PGlite } from '@electric-sql/pglite';
import { parentPort, workerData } from 'node:worker_threads';
import { loadPgliteExtensions } from './pglite-extensions.js';
import { pgliteStartParams, type SharedModules } from './pglite-settings.js';
import { writeTarball } from './write-tarball.js';

export interface PgliteWorkerData {
  /** A data directory on disk (opened in place), or … */
  dataDir?: string;
  /** … an uncompressed tarball of one, loaded into memory. */
  tarball?: Blob;
  extensions: string[];
  shared: SharedModules;
}

export type WorkerRequestBody = { op: 'exec'; sql: string } | { op: 'query'; sql: string; params?: unknown[] } | { op: 'dump' } | { op: 'save'; file: string };
export type WorkerRequest = WorkerRequestBody & { id: number };

export type WorkerResponse =
  | { id: number; ok: true; rows?: unknown[] }
  | { id: number; ok: false; error: Record<string, unknown> }
  | { id: 0; ready: true }
  | { id: 0; ready: false; error: Record<string, unknown> };

/** Postgres error fields survive the thread boundary; the Error prototype does not. */
export function serializeError(error: unknown): Record<string, unknown> {
  const e = error as Record<string, unknown>;
  const out: Record<string, unknown> = { message: e?.message ?? String(error) };
  for (const key of ['code', 'detail', 'hint', 'position', 'where', 'severity', 'schema', 'table', 'column', 'constraint']) {
    if (e?.[key] !== undefined) out[key] = e[key];
  }
  return out;
}

async function run(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const data = workerData as PgliteWorkerData;
  let db: PGlite;
  try {
    const storage = data.tarball ? { loadDataDir: data.tarball } : { dataDir: data.dataDir, relaxedDurability: true };
    db = await PGlite.create({ ...data.shared, ...storage, startParams: pgliteStartParams(), extensions: await loadPgliteExtensions(data.extensions) });
  } catch (error) {
    port.postMessage({ id: 0, ready: false, error: serializeError(error) } satisfies WorkerResponse);
    return;
  }
  port.postMessage({ id: 0, ready: true } satisfies WorkerResponse);
  port.on('message', async (request: WorkerRequest) => {
    try {
      if (request.op === 'exec') {
        await db.exec(request.sql);
        port.postMessage({ id: request.id, ok: true } satisfies WorkerResponse);
      } else if (request.op === 'query') {
        const result = await db.query(request.sql, request.params);
        port.postMessage({ id: request.id, ok: true, rows: result.rows } satisfies WorkerResponse);
      } else if (request.op === 'save') {
        port.postMessage({ id: request.id, ok: true, rows: [writeTarballOfMemory(db, request.file)] } satisfies WorkerResponse);
      } else {
        const tarball = new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
        port.postMessage({ id: request.id, ok: true, rows: [tarball] } satisfies WorkerResponse, [tarball.buffer]);
      }
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies WorkerResponse);
    }
  });
}

/** The parts of PGlite's Emscripten module a direct copy of its in-memory data directory needs. */
interface EmscriptenFs {
  readdir(path: string): string[];
  stat(path: string): { mode: number };
  isDir(mode: number): boolean;
  readFile(path: string): Uint8Array;
}

/**
 * Writes the tarball of an in-memory data directory into `file`, straight from PGlite's in-memory file
 * system and one file at a time (memory holds one file, never the archive): about 5× faster than its public
 * dump, which builds the whole archive in JavaScript. It reads PGlite internals (its Emscripten module), so
 * when they are not there it returns false and the caller falls back to the public dumpDataDir.
 */
function writeTarballOfMemory(db: PGlite, file: string): boolean {
  const mod = (db as unknown as { mod?: { FS?: EmscriptenFs; ENV?: Record<string, string> } }).mod;
  const fs = mod?.FS;
  const root = mod?.ENV?.PGDATA;
  if (!fs || !root || typeof fs.readdir !== 'function') return false;
  const at = (relative: string) => (relative ? `${root}/${relative}` : root);
  writeTarball(
    {
      root,
      list: (relative) =>
        fs
          .readdir(at(relative))
          .filter((name) => name !== '.' && name !== '..')
          .map((name) => ({ name, kind: fs.isDir(fs.stat(`${at(relative)}/${name}`).mode) ? 'folder' : 'file' })),
      read: (relative) => fs.readFile(at(relative)),
    },
    file,
  );
  return true;
}

void run();
