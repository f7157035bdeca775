import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One entry of a tarball: a folder (no data) or a regular file, named relative to the archive's root. */
export interface TarEntry {
  name: string;
  data?: Uint8Array;
}

/**
 * An uncompressed ustar archive of a folder tree (folders and regular files only, as in a Postgres data
 * directory), with names relative to the folder: the form extractTarball and PGlite's loadDataDir read.
 * Every file is read at once: a data directory is about a thousand small files.
 */
export async function tarballOfTree(root: string): Promise<Uint8Array> {
  const entries: Array<{ name: string; read?: Promise<Uint8Array> }> = [];
  const walk = async (relative: string): Promise<void> => {
    const children = await readdir(join(root, relative), { withFileTypes: true });
    const folders: Promise<void>[] = [];
    for (const child of children) {
      const name = relative ? `${relative}/${child.name}` : child.name;
      if (child.isDirectory()) {
        entries.push({ name });
        folders.push(walk(name));
      } else if (child.isFile()) {
        const read = readFile(join(root, name));
        read.catch(() => undefined);
        entries.push({ name, read });
      } else {
        throw new Error(`${join(root, name)} is neither a folder nor a regular file`);
      }
    }
    await Promise.all(folders);
  };
  await walk('');
  return tarball(await Promise.all(entries.map(async (e) => ({ name: e.name, data: await e.read }))));
}

/** The archive of `entries`, sorted by name (a folder before what it holds), so a tree always gives the same bytes. */
export function tarball(entries: TarEntry[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const { name, data } of [...entries].sort((a, b) => byName(a.name, b.name))) blocks.push(...tarEntryBlocks(name, data));
  blocks.push(TAR_END);
  // A buffer of its own (never a slice of a shared pool), so it can be transferred between threads.
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const block of blocks) {
    out.set(block, offset);
    offset += block.length;
  }
  return out;
}

/** A folder tree an archive is streamed from: a data directory on disk, or one in PGlite's memory. */
export interface TreeReader {
  /** Where the tree is, for messages. */
  root: string;
  /** What a folder holds (`relative` is '' for the root), each entry with its kind. */
  list(relative: string): Array<{ name: string; kind: 'folder' | 'file' | 'other' }>;
  read(relative: string): Uint8Array;
}

/**
 * Writes the ustar archive of a folder tree into `file`, one file at a time, so memory holds one file of the
 * tree, never the archive (a large history's data directory is 60 MB and more). Synchronous calls: the tree
 * is a scratch directory in shared memory (or in memory), where an asynchronous call per file (two thousand of
 * them at 500 tables) cost seconds on a busy machine and these take tens of milliseconds.
 */
export function writeTarball(tree: TreeReader, file: string): void {
  const out = openSync(file, 'w');
  try {
    const walk = (relative: string): void => {
      for (const child of tree.list(relative).sort((a, b) => byName(a.name, b.name))) {
        const name = relative ? `${relative}/${child.name}` : child.name;
        if (child.kind === 'other') throw new Error(`${tree.root}/${name} is neither a folder nor a regular file`);
        for (const block of tarEntryBlocks(name, child.kind === 'file' ? tree.read(name) : undefined)) writeSync(out, block);
        if (child.kind === 'folder') walk(name);
      }
    };
    walk('');
    writeSync(out, TAR_END);
  } finally {
    closeSync(out);
  }
}

/** writeTarball of a folder on disk. */
export function writeTarballOfTree(root: string, file: string): void {
  writeTarball(
    {
      root,
      list: (relative) => readdirSync(join(root, relative), { withFileTypes: true }).map((d) => ({ name: d.name, kind: d.isDirectory() ? 'folder' : d.isFile() ? 'file' : 'other' })),
      read: (relative) => readFileSync(join(root, relative)),
    },
    file,
  );
}

/** The blocks of one archive entry: a folder (no data) or a regular file (see tarball). */
function tarEntryBlocks(name: string, data?: Uint8Array): Uint8Array[] {
  if (!data) return [header(name, 0, '5')];
  const padding = (512 - (data.length % 512)) % 512;
  return padding ? [header(name, data.length, '0'), data, new Uint8Array(padding)] : [header(name, data.length, '0'), data];
}

/** The end of an archive: two zero blocks. */
const TAR_END = new Uint8Array(1024);

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function header(name: string, size: number, type: '0' | '5'): Uint8Array {
  if (Buffer.byteLength(name) > 100) throw new Error(`path too long for a tarball entry: ${name}`);
  const block = Buffer.alloc(512);
  block.write(name, 0, 'utf8');
  block.write(type === '5' ? '0000755\0' : '0000600\0', 100, 'latin1'); // mode
  block.write('0000000\0', 108, 'latin1'); // uid
  block.write('0000000\0', 116, 'latin1'); // gid
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('00000000000\0', 136, 'latin1'); // mtime: fixed, so the same tree always gives the same bytes
  block.write(type, 156, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  block.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}
