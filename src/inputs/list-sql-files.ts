import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { displayPath } from './display-path.js';
import { comparePaths } from './natural-order.js';

/** What a path argument turned out to be. */
export interface ResolvedPath {
  path: string;
  isDirectory: boolean;
}

export async function resolveInputPath(path: string, what: string, cwd = process.cwd()): Promise<ResolvedPath> {
  const absolute = resolve(cwd, path);
  try {
    const info = await stat(absolute);
    return { path: absolute, isDirectory: info.isDirectory() };
  } catch {
    throw new InputError(`${what} path ${displayPath(absolute, cwd)} does not exist; check the path or the config file`);
  }
}

/** Every `.sql` file below a folder, in path order (numeric prefixes compared by value). */
export async function listSqlFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.sql'))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  return files.sort((a, b) => comparePaths(relative(folder, a), relative(folder, b)));
}
