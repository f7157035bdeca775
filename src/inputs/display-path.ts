import { isAbsolute, relative } from 'node:path';

/** Paths inside the working directory are shown relative to it (what users click on in editors and CI logs). */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  if (rel === '' ) return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split('\\').join('/');
}
