import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where cached engine state lives unless the options or VERIFY_SCHEMA_CACHE_DIR say otherwise (see
 * resolveEngineSettings): node_modules/.cache/verify-schema in the project (the convention of babel, eslint,
 * …), else the system temp folder. Always safe to delete.
 */
export function defaultCacheDir(cwd = process.cwd()): string {
  if (existsSync(join(cwd, 'node_modules'))) return join(cwd, 'node_modules', '.cache', 'verify-schema');
  return join(tmpdir(), 'verify-schema-cache');
}
