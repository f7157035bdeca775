/**
 * One PGlite instance in a worker thread. WebAssembly runs on the thread that owns it, so two scratch
 * databases in the main thread would take turns on one core; in two workers they start and apply in parallel.
 * The main thread compiles the WebAssembly once and hands the compiled module to each worker.
 */
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { parentPort, workerData } from 'node:worker_threads';
import { loadPgliteExtensions } from './pglite-extensions.js';

export interface PgliteWorkerData {
  dataDir: string;
  extensions: string[];
  shared: Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>;
}

export type WorkerRequestBody = { op: 'exec'; sql: string } | { op: 'query'; sql: string; params?: unknown[] };
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
    db = await PGlite.create({ ...data.shared, dataDir: data.dataDir, extensions: await loadPgliteExtensions(data.extensions), relaxedDurability: true });
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
      } else {
        const result = await db.query(request.sql, request.params);
        port.postMessage({ id: request.id, ok: true, rows: result.rows } satisfies WorkerResponse);
      }
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: serializeError(error) } satisfies WorkerResponse);
    }
  });
}

void run();
