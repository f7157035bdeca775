import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog, CatalogObject, CatalogObjectKind } from '../catalog/catalog-object.js';
import { writeFileAtomically } from './write-file-atomically.js';

const MAX_ENTRIES = 64;

/**
 * Introspected catalogs, keyed by the hash of everything that produced them. When neither side changed since
 * the last run, no engine starts at all. An unreadable entry is ignored and rewritten, never trusted.
 */
export class CatalogCache {
  constructor(private readonly dir: string) {}

  async get(key: string): Promise<Catalog | undefined> {
    try {
      const data = JSON.parse(await readFile(this.path(key), 'utf8')) as { key: string; kinds: Array<[CatalogObjectKind, CatalogObject[]]> };
      if (data.key !== key || !Array.isArray(data.kinds)) return undefined;
      return new Map(data.kinds.map(([kind, objects]) => [kind, new Map(objects.map((o) => [o.key, o]))]));
    } catch {
      return undefined;
    }
  }

  /** The catalog is read before the first await: the caller may go on using it while the entry is written. */
  async put(key: string, catalog: Catalog): Promise<void> {
    const text = JSON.stringify({ key, kinds: [...catalog].map(([kind, objects]) => [kind, [...objects.values()]]) });
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomically(this.path(key), text);
    await evictOldest(this.dir, MAX_ENTRIES);
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }
}

/** Keeps the newest `keep` entries of a cache folder. */
export async function evictOldest(dir: string, keep: number): Promise<void> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.') && !n.endsWith('.tmp'));
  if (names.length <= keep) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, mtime: (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => b.mtime - a.mtime);
  await Promise.all(dated.slice(keep).map((e) => rm(join(dir, e.name), { recursive: true, force: true })));
}
