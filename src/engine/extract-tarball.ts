import { closeSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { settleAll } from './settle-all.js';

/**
 * Writes the files of an uncompressed tarball, as PGlite's dumpDataDir makes them (ustar: regular files and
 * folders, short names), into `destination`. Anything else in it (links, long-name records, a name that
 * would leave the destination) is refused with an error, so the caller can keep the tarball as it is.
 */
export async function extractTarball(tarball: Uint8Array, destination: string): Promise<void> {
  const writes: Promise<void>[] = [];
  // One mkdir per folder, awaited by every file in it.
  const folders = new Map<string, Promise<void>>();
  const ensureFolder = (folder: string): Promise<void> => {
    if (!folders.has(folder)) folders.set(folder, mkdir(folder, { recursive: true }).then(() => undefined));
    return folders.get(folder)!;
  };
  try {
    readEntries(tarball, destination, ensureFolder, writes);
  } finally {
    // Never leave a write running while the caller cleans up after an error.
    await settleAll(writes);
  }
}

function readEntries(tarball: Uint8Array, destination: string, ensureFolder: (folder: string) => Promise<void>, writes: Promise<void>[]): void {
  let offset = 0;
  while (offset + 512 <= tarball.length) {
    const header = tarball.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break; // end-of-archive blocks
    const name = text(header, 345, 155) ? `${text(header, 345, 155)}/${text(header, 0, 100)}` : text(header, 0, 100);
    const size = parseInt(text(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 0x30);
    const target = normalize(join(destination, name));
    if (!Number.isFinite(size) || !(target === destination || target.startsWith(destination + sep))) throw new Error(`unexpected tarball entry ${JSON.stringify(name)}`);
    offset += 512;
    if (type === '5') {
      writes.push(ensureFolder(target));
    } else if (type === '0') {
      const data = tarball.subarray(offset, offset + size);
      writes.push(ensureFolder(dirname(target)).then(() => writeFile(target, data)));
    } else {
      throw new Error(`unexpected tarball entry type ${JSON.stringify(type)} for ${name}`);
    }
    offset += Math.ceil(size / 512) * 512;
  }
}

/**
 * Unpacks the tarball in `file` into `destination` one entry at a time (memory holds one file of it, never the
 * archive: a large history's checkpoint is 60 MB and more), refusing what extractTarball refuses. Synchronous
 * calls: the destination is a scratch directory in shared memory, where an asynchronous call per file (two
 * thousand at 500 tables) costs far more than the copy itself.
 */
export function extractTarballFile(file: string, destination: string): void {
  const input = openSync(file, 'r');
  try {
    const header = new Uint8Array(512);
    const made = new Set<string>();
    const folder = (path: string) => {
      if (made.has(path)) return;
      mkdirSync(path, { recursive: true });
      made.add(path);
    };
    let position = 0;
    for (;;) {
      if (readSync(input, header, 0, 512, position) < 512 || header.every((byte) => byte === 0)) break;
      position += 512;
      const { name, size, type } = entryOf(header);
      const target = normalize(join(destination, name));
      if (!Number.isFinite(size) || !(target === destination || target.startsWith(destination + sep))) throw new Error(`unexpected tarball entry ${JSON.stringify(name)}`);
      if (type === '5') folder(target);
      else if (type === '0') {
        const data = new Uint8Array(size);
        if (readSync(input, data, 0, size, position) < size) throw new Error(`tarball ends inside ${JSON.stringify(name)}`);
        folder(dirname(target));
        writeFileSync(target, data);
      } else {
        throw new Error(`unexpected tarball entry type ${JSON.stringify(type)} for ${name}`);
      }
      position += Math.ceil(size / 512) * 512;
    }
  } finally {
    closeSync(input);
  }
}

function entryOf(header: Uint8Array): { name: string; size: number; type: string } {
  const name = text(header, 345, 155) ? `${text(header, 345, 155)}/${text(header, 0, 100)}` : text(header, 0, 100);
  return { name, size: parseInt(text(header, 124, 12).trim() || '0', 8), type: String.fromCharCode(header[156] || 0x30) };
}

/** A NUL-terminated ASCII field of a tar header. */
function text(header: Uint8Array, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return Buffer.from(end < 0 ? field : field.subarray(0, end)).toString('latin1');
}
