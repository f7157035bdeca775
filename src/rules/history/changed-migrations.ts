import { realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { git, repositoryWithRevision, toGitPath } from './git.js';

export type ChangedMigrations = { changed: Set<string> } | { skipped: string };

/**
 * Which migration files are new or changed since `baseRef` (a file whose path is not in the base revision,
 * or whose content differs from the base's): the ones a pull request adds, and so the ones to lint.
 * Contents are compared by git object id (`git hash-object` of the working file against the base's tree),
 * so no file of the base is read. `files` are absolute paths; the result holds those of them that changed.
 * Never throws: without git or the revision it says why in `skipped`.
 */
export async function changedMigrations(files: string[], baseRef: string): Promise<ChangedMigrations> {
  if (files.length === 0) return { changed: new Set() };
  const repository = await repositoryWithRevision(dirname(files[0]), baseRef);
  if ('missing' in repository) {
    return { skipped: { git: 'git is not installed', repository: 'the migrations are not inside a git repository', revision: `git does not know ${baseRef}; fetch it first` }[repository.missing] };
  }
  const { root } = repository;
  const gitPaths = await Promise.all(files.map(async (f) => toGitPath(root, await realpath(f))));
  const folders = [...new Set(gitPaths.map((p) => p.slice(0, p.lastIndexOf('/') + 1) || '.'))];
  // `<mode> blob <id>\t<path>` for every file of those folders at the base.
  const listed = await git(root, ['ls-tree', '-r', '-z', baseRef, '--', ...folders]);
  const atBase = new Map<string, string>();
  if (listed.ok) {
    for (const entry of listed.stdout.toString('utf8').split('\0')) {
      const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
      if (m) atBase.set(m[2], m[1]);
    }
  }
  const hashed = await git(root, ['hash-object', '--stdin-paths'], `${gitPaths.join('\n')}\n`);
  const now = hashed.ok ? hashed.stdout.toString('utf8').trim().split('\n') : [];
  const changed = new Set(files.filter((_, i) => !atBase.has(gitPaths[i]) || atBase.get(gitPaths[i]) !== now[i]));
  return { changed };
}
