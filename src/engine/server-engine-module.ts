import { parseConnectionUrl } from './connection-url.js';
import type { EngineModule } from './engine-registry.js';

/** A real server, when a URL is given; the driver is loaded only then (embedded runs never need it). */
export const serverEngineModule: EngineModule = {
  name: 'server',
  wanted: (settings) => settings.databaseUrl !== undefined,
  start: async (settings) =>
    (await import('./server-engine.js')).ServerEngine.start({ url: parseConnectionUrl(settings.databaseUrl!, settings.databaseUrlSource), keepDatabases: settings.keepDatabases, onNotice: settings.onNotice, onDebug: settings.onDebug }),
};
