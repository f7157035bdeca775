import { readFile, realpath } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { flywayChecksum } from './flyway-checksum.js';
import { git, readBlobs } from './git.js';

export type ChangedMigrations = { changed: Set<string> } | { skipped: string };

/**
 * Which migration files are new or changed since `baseRef` (a file whose path is not in the base revision,
 * or whose Flyway checksum differs from the base's): the ones a pull request adds, and so the ones to lint.
 * `files` are absolute paths; the result holds those of them that changed. Never throws: without git or
 * the revision it says why in `skipped`.
 */
export async function changedMigrations(files: string[], baseRef: string): Promise<ChangedMigrations> {
  if (files.length === 0) return { changed: new Set() };
  const top = await git(dirname(files[0]), ['rev-parse', '--show-toplevel']);
  if (!top.ok) return { skipped: top.missing ? 'git is not installed' : 'the migrations are not inside a git repository' };
  const root = await realpath(top.stdout.toString('utf8').trim());
  const exists = await git(root, ['rev-parse', '--verify', '--quiet', `${baseRef}^{commit}`]);
  if (!exists.ok) return { skipped: `git does not know ${baseRef}; fetch it first` };
  const gitPaths = await Promise.all(files.map(async (f) => relative(root, await realpath(f)).split(sep).join('/')));
  const listed = await git(root, ['ls-tree', '-r', '-z', '--name-only', baseRef, '--', ...new Set(gitPaths.map((p) => p.slice(0, p.lastIndexOf('/') + 1) || '.'))]);
  const atBase = new Set(listed.ok ? listed.stdout.toString('utf8').split('\0') : []);
  const blobs = await readBlobs(root, baseRef, gitPaths.filter((p) => atBase.has(p)));
  const changed = new Set<string>();
  for (const [i, file] of files.entries()) {
    const old = blobs.get(gitPaths[i]);
    if (!old || flywayChecksum(old) !== flywayChecksum(await readFile(file))) changed.add(file);
  }
  return { changed };
}
