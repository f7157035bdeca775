import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { relative, sep } from 'node:path';

export type GitResult = { ok: true; stdout: Buffer } | { ok: false; missing: boolean; message: string };

/** Runs git without a shell; never throws (the history checks turn failures into warnings). */
export function git(cwd: string, args: string[], input?: string): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (error, stdout, stderr) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        resolve({ ok: false, missing, message: String(stderr ?? '').trim() || error.message });
      } else resolve({ ok: true, stdout });
    });
    child.stdin?.on('error', () => undefined);
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** `git cat-file --batch`: many blobs in one process. Returns path → content for the specs that exist. */
export async function readBlobs(cwd: string, rev: string, paths: string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (paths.length === 0) return out;
  const result = await git(cwd, ['cat-file', '--batch'], paths.map((p) => `${rev}:${p}\n`).join(''));
  if (!result.ok) return out;
  const buf = result.stdout;
  let pos = 0;
  for (const path of paths) {
    const eol = buf.indexOf(10, pos);
    if (eol < 0) break;
    const header = buf.subarray(pos, eol).toString('utf8');
    pos = eol + 1;
    const m = /^\S+ (\S+) (\d+)$/.exec(header);
    if (!m) continue; // "<spec> missing"
    const size = Number(m[2]);
    if (m[1] === 'blob') out.set(path, buf.subarray(pos, pos + size));
    pos += size + 1;
  }
  return out;
}

/**
 * The repository that holds `dir` (its root, a real path) when git knows the revision `rev` there; else what is
 * missing: git itself, a repository, or the revision (not fetched).
 */
export async function repositoryWithRevision(dir: string, rev: string): Promise<{ root: string } | { missing: 'git' | 'repository' | 'revision' }> {
  const top = await git(dir, ['rev-parse', '--show-toplevel']);
  if (!top.ok) return { missing: top.missing ? 'git' : 'repository' };
  const root = await realpath(top.stdout.toString('utf8').trim());
  const exists = await git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  return exists.ok ? { root } : { missing: 'revision' };
}

/** A real path as git spells it relative to `root` (`/` between names). */
export function toGitPath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
