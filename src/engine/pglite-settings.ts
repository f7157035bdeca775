import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/** What every PGlite instance of a run shares: the compiled WebAssembly and the file-system bundle. */
export type SharedModules = Pick<PGliteOptions, 'pgliteWasmModule' | 'fsBundle'>;

/**
 * Postgres settings of every scratch instance, on top of PGlite's own.
 * - shared_buffers: PGlite's 128 MB costs about 0.4 s of every start (the buffer pool is set up inside the
 *   WebAssembly memory) and 128 MB of memory per instance; a throw-away schema-only database never fills
 *   16 MB (measured: no slower DDL).
 * - WAL: old segments are deleted at each checkpoint instead of being renamed for reuse, so the CHECKPOINT
 *   before a migration checkpoint is saved leaves a few megabytes of WAL. With the defaults a 1,000-migration
 *   history kept 40 MB of WAL in every checkpoint saved of it. (Checkpointing more often slowed L down.)
 */
export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams, ...['shared_buffers=16MB', 'min_wal_size=2MB', 'wal_recycle=off'].flatMap((s) => ['-c', s])];
}
