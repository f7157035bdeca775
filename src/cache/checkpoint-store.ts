import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathExists } from '../path-exists.js';
import { registerCleanup } from '../engine/cleanup.js';
import type { Checkpoints } from '../engine/checkpoints.js';
import { evictOldest } from './catalog-cache.js';

const MAX_CHECKPOINTS = 6;
const MARKER = '.verify-schema-checkpoint';

/** A checkpoint of the embedded engine is one uncompressed tarball of its data directory, by this name (older ones are directories). */
export const CHECKPOINT_TARBALL = 'datadir.tar';



/**
 * Saved database states of migration-history prefixes (on PGlite, copies of the data directory). A pull
 * request usually adds one migration: the next run starts from the state after the unchanged prefix and
 * applies only what follows. A checkpoint is complete only when its marker names its own key.
 */
export class CheckpointStore implements Checkpoints {
  constructor(private readonly dir: string) {}

  /**
   * The longest prefix with a checkpoint: its index in `keys`, its folder, and the fingerprint the database
   * started from it must show (see databaseFingerprint), or undefined.
   */
  async findLongest(keys: string[]): Promise<{ index: number; path: string; fingerprint: string } | undefined> {
    for (let i = keys.length - 1; i >= 0; i--) {
      const path = join(this.dir, keys[i]);
      const [key, fingerprint] = ((await readFile(join(path, MARKER), 'utf8').catch(() => '')) || '').split('\n');
      // A checkpoint without its data (a directory's control file, or the tarball) cannot be the one that was
      // saved: skip it without starting anything.
      const hasData = (await pathExists(join(path, 'global', 'pg_control'))) || (await pathExists(join(path, CHECKPOINT_TARBALL)));
      if (key === keys[i] && fingerprint && hasData) {
        const now = new Date();
        await utimes(path, now, now).catch(() => undefined);
        return { index: i, path, fingerprint };
      }
    }
    return undefined;
  }

  /** Saves a checkpoint through `write(folder)`; a concurrent run saving the same key is harmless. */
  /** `project` is not needed here: the cache folder is the project's own (node_modules/.cache by default). */
  async save(key: string, fingerprint: string, write: (folder: string) => Promise<void>, _project?: string): Promise<void> {
    const final = join(this.dir, key);
    if (await pathExists(join(final, MARKER))) return;
    await mkdir(this.dir, { recursive: true });
    const temporary = join(this.dir, `.saving-${key}-${process.pid}-${randomUUID()}`);
    // Ctrl-C while it is written: nothing half-written stays (the final name only ever holds a complete one).
    const unregister = registerCleanup(() => rm(temporary, { recursive: true, force: true }));
    try {
      await write(temporary);
      await writeFile(join(temporary, MARKER), `${key}\n${fingerprint}\n`);
      await rm(final, { recursive: true, force: true });
      await rename(temporary, final);
    } finally {
      await rm(temporary, { recursive: true, force: true });
      unregister();
    }
    await evictOldest(this.dir, MAX_CHECKPOINTS);
  }

  /** A checkpoint the engine could not start from, or that started as another database, is deleted. */
  async discard(path: string): Promise<void> {
    await rm(path, { recursive: true, force: true });
  }
}

/**
 * What a database started from a checkpoint must show to be trusted: the size of its catalog (a damaged or
 * swapped checkpoint shows another). Readable by any role, on every engine.
 */
export const FINGERPRINT_SQL = `SELECT count(*)::text || ':' || max(oid)::text || ':' || (SELECT count(*) FROM pg_attribute)::text AS fingerprint FROM pg_class`;
