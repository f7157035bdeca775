import { chooseEngine } from './engine-registry.js';
import type { EngineSettings } from './engine-settings.js';
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

/**
 * The engine the settings ask for (see ENGINES): a server when a URL is given, else the embedded one. A
 * server's identity is only known once connected (the run connects before computing cache keys).
 */
export function engineProvider(settings: EngineSettings): EngineProvider {
  const engine = chooseEngine(settings);
  return new EngineProvider(engine.knownInfo?.(settings), () => engine.start(settings));
}
