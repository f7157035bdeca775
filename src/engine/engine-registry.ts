import type { EngineSettings } from './engine-settings.js';
import { pgliteEngineModule } from './pglite-engine-module.js';
import type { Engine, EngineInfo } from './scratch-database.js';
import { serverEngineModule } from './server-engine-module.js';

/** One engine, as the registry knows it: when it is wanted, what it is before it starts, how it starts. */
export interface EngineModule {
  name: string;
  /** Whether the settings ask for this engine (the first module that says yes is used). */
  wanted(settings: EngineSettings): boolean;
  /** The engine's identity when it is fixed without starting it (for cache keys); undefined when only a start tells. */
  knownInfo?(settings: EngineSettings): EngineInfo | undefined;
  /** Begins what the engine can prepare before a side is known to need it (it overlaps reading the files); never fails. */
  prewarm?(settings: EngineSettings): void;
  start(settings: EngineSettings): Promise<Engine>;
}

/**
 * Every engine, in order of precedence; the last is the default. A new engine (one that starts Postgres in a
 * container, …) is its own file exporting an EngineModule, plus one line here.
 */
export const ENGINES: EngineModule[] = [serverEngineModule, pgliteEngineModule];

export function chooseEngine(settings: EngineSettings): EngineModule {
  return ENGINES.find((e) => e.wanted(settings)) ?? ENGINES[ENGINES.length - 1];
}
