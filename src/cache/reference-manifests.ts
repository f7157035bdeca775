import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evictOldest } from './catalog-cache.js';
import { sha256 } from './cache-keys.js';
import { writeFileAtomically } from './write-file-atomically.js';
import type { ReferenceManifest } from './reference-reuse.js';

const MAX_ENTRIES = 16;

/**
 * Which reference state was saved last, per base key (one per project and engine): the checkpoint's key and
 * the statements it holds, for planReferenceReuse. Kept in the cache folder for every engine (a server keeps
 * the checkpoint itself); an unreadable entry counts as none.
 */
export class ReferenceManifests {
  constructor(private readonly dir: string) {}

  async get(base: string): Promise<ReferenceManifest | undefined> {
    try {
      const data = JSON.parse(await readFile(this.path(base), 'utf8')) as ReferenceManifest;
      return typeof data.key === 'string' && data.files && typeof data.files === 'object' ? data : undefined;
    } catch {
      return undefined;
    }
  }

  async put(base: string, manifest: ReferenceManifest): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomically(this.path(base), JSON.stringify(manifest));
    await evictOldest(this.dir, MAX_ENTRIES);
  }

  private path(base: string): string {
    return join(this.dir, `${sha256(base, 'reference-manifest').slice(0, 40)}.json`);
  }
}
