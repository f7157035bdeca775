import type { VerifyOptions } from '../options.js';
import { defaultCacheDir } from './cache-dir.js';
import { parseConnectionUrl } from './connection-url.js';
import { PgliteEngine } from './pglite-engine.js';
import type { Engine, EngineInfo } from './scratch-database.js';

/**
 * Starts the engine the options ask for (the embedded one by default) only when a side needs it: when both
 * catalogs come from the cache, no embedded engine starts at all (a server is connected to for its identity).
 */
export class EngineProvider {
  private started?: Promise<Engine>;

  constructor(
    /** Known before start when the engine's identity is fixed (PGlite); undefined for servers. */
    readonly knownInfo: EngineInfo | undefined,
    private readonly start: () => Promise<Engine>,
  ) {}

  get(): Promise<Engine> {
    this.started ??= this.start();
    return this.started;
  }

  /** The engine's info: the started engine's, else the known one. */
  async info(): Promise<EngineInfo> {
    if (this.started || !this.knownInfo) return (await this.get()).info;
    return this.knownInfo;
  }

  async close(): Promise<void> {
    if (this.started) await (await this.started.catch(() => undefined))?.close();
  }
}

/** Environment variable naming a server for scratch databases. The application's DATABASE_URL is never used implicitly. */
export const DATABASE_URL_ENV = 'VERIFY_SCHEMA_DATABASE_URL';

/**
 * The engine the options ask for: a server when a URL is given, else the embedded one. A server's identity
 * is only known once connected (verifySchema connects before computing cache keys).
 */
export function engineProvider(options: VerifyOptions, cwd: string): EngineProvider {
  const url = serverUrl(options);
  if (url) {
    // Loaded on demand: the driver is not needed by embedded runs.
    return new EngineProvider(undefined, async () =>
      (await import('./server-engine.js')).ServerEngine.start({ url: parseConnectionUrl(url, options.databaseUrl ? '--database-url' : DATABASE_URL_ENV), keepDatabases: options.keepDatabases, onNotice: options.onNotice }),
    );
  }
  const cacheDir = options.cacheDir ?? defaultCacheDir(cwd);
  return new EngineProvider(PgliteEngine.staticInfo(), () => PgliteEngine.start({ cacheDir, inMemoryFromStatements: options.inMemoryFromStatements }));
}

/** The server URL for scratch databases, if any: the option, else VERIFY_SCHEMA_DATABASE_URL. */
export function serverUrl(options: Pick<VerifyOptions, 'databaseUrl'>): string | undefined {
  return options.databaseUrl || process.env[DATABASE_URL_ENV] || undefined;
}
