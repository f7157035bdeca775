import type { EngineModule } from './engine-registry.js';
import { PgliteEngine } from './pglite-engine.js';

/** The embedded engine: the default, with nothing to install. */
export const pgliteEngineModule: EngineModule = {
  name: 'pglite',
  wanted: () => true,
  knownInfo: () => PgliteEngine.staticInfo(),
  prewarm: () => PgliteEngine.prewarm(),
  start: (settings) => PgliteEngine.start({ cacheDir: settings.cacheDir, inMemoryFromStatements: settings.inMemoryFromStatements }),
};
