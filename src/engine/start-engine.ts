import type { VerifyOptions } from '../options.js';
import { defaultCacheDir } from './cache-dir.js';
import { PgliteEngine } from './pglite-engine.js';
import type { Engine } from './scratch-database.js';

/** Chooses and starts the engine the options ask for (the embedded one by default). */
export async function startEngine(options: VerifyOptions, cwd: string): Promise<Engine> {
  return PgliteEngine.start({ cacheDir: options.cacheDir ?? defaultCacheDir(cwd) });
}
