import type { VerifyOptions } from '../options.js';
import { defaultCacheDir } from './cache-dir.js';

/** Environment variable naming a server for scratch databases. The application's DATABASE_URL is never used implicitly. */
export const DATABASE_URL_ENV = 'VERIFY_SCHEMA_DATABASE_URL';
/** Environment variable naming the cache folder. */
export const CACHE_DIR_ENV = 'VERIFY_SCHEMA_CACHE_DIR';

/** Everything an engine needs to start, resolved once per run from the options and the environment. */
export interface EngineSettings {
  /** A server for the scratch databases, if any. */
  databaseUrl?: string;
  /** Where that URL came from, for messages about it (`--database-url` or the environment variable). */
  databaseUrlSource: string;
  /** Where the embedded engine keeps its initialised data directory, checkpoints and cached catalogs. */
  cacheDir: string;
  keepDatabases?: boolean;
  inMemoryFromStatements?: number;
  onNotice?: (message: string) => void;
  /** --debug lines (e.g. checkpoints evicted). */
  onDebug?: (message: string) => void;
}

/**
 * The one place the environment is read for the engine: options first, then the variables (from
 * `options.env`, which the CLI passes; the process's environment for API callers who give none).
 */
export function resolveEngineSettings(options: VerifyOptions, cwd: string): EngineSettings {
  const env = options.env ?? process.env;
  const databaseUrl = options.databaseUrl || env[DATABASE_URL_ENV] || undefined;
  return {
    databaseUrl,
    databaseUrlSource: options.databaseUrl ? '--database-url' : DATABASE_URL_ENV,
    cacheDir: options.cacheDir ?? (env[CACHE_DIR_ENV] || defaultCacheDir(cwd)),
    keepDatabases: options.keepDatabases,
    inMemoryFromStatements: options.inMemoryFromStatements,
    onNotice: options.onNotice,
    onDebug: options.onDebug,
  };
}
