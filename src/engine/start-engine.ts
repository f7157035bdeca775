import type { VerifyOptions } from '../options.js';
import { defaultCacheDir } from './cache-dir.js';
import { parseConnectionUrl } from './connection-url.js';
import { PgliteEngine } from './pglite-engine.js';
import type { Engine } from './scratch-database.js';
import { ServerEngine } from './server-engine.js';

/** Environment variable naming a server for scratch databases. The application's DATABASE_URL is never used implicitly. */
export const DATABASE_URL_ENV = 'VERIFY_SCHEMA_DATABASE_URL';

/** Chooses and starts the engine the options ask for: a server when a URL is given, else the embedded one. */
export async function startEngine(options: VerifyOptions, cwd: string): Promise<Engine> {
  const url = serverUrl(options);
  if (url) return ServerEngine.start({ url: parseConnectionUrl(url, options.databaseUrl ? '--database-url' : DATABASE_URL_ENV), keepDatabases: options.keepDatabases, onNotice: options.onNotice });
  return PgliteEngine.start({ cacheDir: options.cacheDir ?? defaultCacheDir(cwd) });
}

/** The server URL for scratch databases, if any: the option, else VERIFY_SCHEMA_DATABASE_URL. */
export function serverUrl(options: Pick<VerifyOptions, 'databaseUrl'>): string | undefined {
  return options.databaseUrl || process.env[DATABASE_URL_ENV] || undefined;
}
