import type { Extensions } from '@electric-sql/pglite';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * PGlite ships Postgres's contrib extensions as separate bundles that must be handed to it when it starts.
 * Extension names as SQL spells them (`uuid-ossp`) map to module names (`uuid_ossp`).
 */
const require = createRequire(import.meta.url);

let available: Promise<Set<string>> | undefined;

/** Contrib modules this PGlite installation ships, by module name. */
export function availablePgliteExtensions(): Promise<Set<string>> {
  available ??= (async () => {
    const dist = dirname(require.resolve('@electric-sql/pglite'));
    const files = await readdir(join(dist, 'contrib'));
    return new Set(files.filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)));
  })();
  return available;
}

export function extensionModuleName(sqlName: string): string {
  return sqlName.toLowerCase().replace(/-/g, '_');
}

/** Loads the extension objects for PGlite's `extensions` option. Unknown names are left out (Postgres will say). */
export async function loadPgliteExtensions(sqlNames: string[]): Promise<Extensions> {
  const modules = await availablePgliteExtensions();
  const loaded: Extensions = {};
  for (const name of new Set(sqlNames.map(extensionModuleName))) {
    if (!modules.has(name)) continue;
    const mod = (await import(`@electric-sql/pglite/contrib/${name}`)) as Record<string, unknown>;
    loaded[name] = mod[name] as Extensions[string];
  }
  return loaded;
}
