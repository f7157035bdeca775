import type { VerifyOptions } from '../options.js';
import { defaultCacheDir } from './cache-dir.js';
import { PgliteEngine } from './pglite-engine.js';
import type { Engine, EngineInfo } from './scratch-database.js';

/**
 * Starts the engine the options ask for (the embedded one by default) only when a side needs it: when both
 * catalogs come from the cache, no engine starts at all.
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

export function engineProvider(options: VerifyOptions, cwd: string): EngineProvider {
  const cacheDir = options.cacheDir ?? defaultCacheDir(cwd);
  return new EngineProvider(PgliteEngine.staticInfo(), () => PgliteEngine.start({ cacheDir }));
}
