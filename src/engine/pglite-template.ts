import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { EngineError } from '../errors.js';
import { pathExists } from '../path-exists.js';
import { writeFileAtomically } from '../cache/write-file-atomically.js';
import { trace } from '../trace.js';
import { extractTarball } from './extract-tarball.js';
import type { SharedModules } from './pglite-settings.js';
import { tarballOfTree } from './write-tarball.js';

/** Changes when the template's layout changes (initdb options, what is removed), so an older template is not used. */
export const TEMPLATE_LAYOUT = 'w1t2';

const MARKER = '.verify-schema-template';

/** Where the package keeps initialised templates, one per PGlite version it was built with (see packagedTemplatePath). */
export const PACKAGED_TEMPLATE_DIR = fileURLToPath(new URL('../../engine-template/', import.meta.url));

/**
 * The initialised data directory shipped with the package for this PGlite version and template layout, as a
 * gzipped tarball. It is only used when both match: a template of another PGlite version would hold another
 * catalog version, which that Postgres refuses to open.
 */
export function packagedTemplatePath(pgliteVersion: string): string {
  return join(PACKAGED_TEMPLATE_DIR, `pglite-${pgliteVersion}-${TEMPLATE_LAYOUT}.tar.gz`);
}

export interface PgliteTemplate {
  /** The data directory, copied for each scratch database opened in place. */
  dir: string;
  /** The same as an uncompressed tarball, loaded by scratch databases that run in memory. */
  tarball: string;
}

/**
 * Returns an initialised data directory for this PGlite version in the cache folder, creating it when missing:
 * from the template the package ships when it matches the installed PGlite (tens of milliseconds), else by
 * running initdb (seconds). The directory is built under a temporary name and renamed into place, so a
 * concurrent run or an interrupted one never sees a half-written template; a marker file written last tells
 * a complete template from a damaged one.
 */
export async function ensureTemplate(
  cacheDir: string,
  version: string,
  initdbModules: () => Promise<{ shared: SharedModules; initdb: WebAssembly.Module }>,
  packaged = packagedTemplatePath(version),
): Promise<PgliteTemplate> {
  const dir = join(cacheDir, `pglite-${version}-${TEMPLATE_LAYOUT}-datadir`);
  const tarball = `${dir}.tar`;
  if ((await pathExists(join(dir, MARKER))) && (await pathExists(tarball))) return { dir, tarball };
  await rm(dir, { recursive: true, force: true });
  await mkdir(cacheDir, { recursive: true });
  const building = await mkdtemp(join(cacheDir, `.building-${version}-`));
  try {
    const shipped = await readFile(packaged).catch(() => undefined);
    let archive: Uint8Array;
    if (shipped) {
      archive = gunzipSync(shipped);
      await extractTarball(archive, building);
      trace('engine: template unpacked from the package');
    } else {
      const { shared, initdb } = await initdbModules();
      await initialiseDataDir(building, shared, initdb);
      archive = await tarballOfTree(building);
      trace('engine: template initialised (initdb)');
    }
    // The tarball sits next to the directory, so directory copies stay small. It is written before the
    // directory is renamed into place, and the marker is checked for both.
    await writeFile(tarball, archive);
    await writeFile(join(building, MARKER), `PGlite ${version}\nfrom: ${shipped ? 'package' : 'initdb'}\n`);
    try {
      await rename(building, dir);
    } catch {
      // Another run finished first: use its template.
      await rm(building, { recursive: true, force: true });
    }
    // Templates of other PGlite versions or layouts are never used again.
    const stale = (await readdir(cacheDir)).filter((name) => /^pglite-.+-datadir(\.tar)?$/.test(name) && name !== basename(dir) && name !== basename(tarball));
    await Promise.all(stale.map((name) => rm(join(cacheDir, name), { recursive: true, force: true })));
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw new EngineError(`could not initialise the embedded Postgres (PGlite) in ${cacheDir}: ${(error as Error).message}`, { cause: error });
  }
  return { dir, tarball };
}

/**
 * Builds the template the package ships (see packagedTemplatePath), unless one for this PGlite version and
 * layout is there already, and deletes those of other versions. Returns its path and whether it was built.
 */
export async function writePackagedTemplate(version: string, shared: SharedModules, initdb: WebAssembly.Module): Promise<{ path: string; built: boolean }> {
  const path = packagedTemplatePath(version);
  const folder = PACKAGED_TEMPLATE_DIR;
  await mkdir(folder, { recursive: true });
  const others = (await readdir(folder)).filter((name) => name.endsWith('.tar.gz') && join(folder, name) !== path);
  await Promise.all(others.map((name) => rm(join(folder, name), { force: true })));
  if (await pathExists(path)) return { path, built: false };
  const building = await mkdtemp(join(folder, '.building-'));
  try {
    await initialiseDataDir(building, shared, initdb);
    await writeFileAtomically(path, gzipSync(await tarballOfTree(building), { level: 9 }));
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return { path, built: true };
}

/**
 * Runs initdb into `dataDir` and stops the cluster cleanly. Every scratch database copies or loads this
 * directory, so it is kept small: 1 MB WAL segments instead of 16, no template0 (7 MB that nothing reads;
 * template1 stays for CREATE DATABASE), and none of the WAL segments Postgres pre-allocates for later (6 MB).
 */
async function initialiseDataDir(dataDir: string, shared: SharedModules, initdbWasmModule: WebAssembly.Module): Promise<void> {
  // PGlite's JavaScript is loaded in this thread only here: scratch databases load it in their own threads.
  const [{ PGlite }, { pgliteStartParams }] = await Promise.all([import('@electric-sql/pglite'), import('./pglite-settings.js')]);
  const created = await PGlite.create({ ...shared, initdbWasmModule, dataDir, initDbStartParams: ['--wal-segsize=1'], startParams: pgliteStartParams() });
  for (const sql of ['ALTER DATABASE template0 IS_TEMPLATE false', 'DROP DATABASE template0', 'CHECKPOINT']) await created.exec(sql);
  const { rows } = await created.query<{ segment: string }>('SELECT pg_walfile_name(pg_current_wal_insert_lsn()) AS segment');
  await created.close();
  await removeFutureWal(dataDir, rows[0].segment);
}

/**
 * Deletes the WAL segments after the one being written (`current`). Postgres renames old segments into
 * future ones to reuse them; a stopped cluster needs none of them (it creates segments as it writes), and
 * they would be copied into every scratch database. The segment after the current one is kept too, in case
 * the shutdown checkpoint's record crossed into it.
 */
async function removeFutureWal(dataDir: string, current: string): Promise<void> {
  const walDir = join(dataDir, 'pg_wal');
  const segments = (await readdir(walDir)).filter((name) => /^[0-9A-F]{24}$/.test(name) && name > current).sort();
  await Promise.all(segments.slice(1).map((name) => rm(join(walDir, name))));
}
