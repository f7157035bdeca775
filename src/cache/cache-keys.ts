import { createHash } from 'node:crypto';
import type { ParsedFile } from '../parse/parse-sql.js';
import { TOOL_VERSION } from '../report/tool-version.js';

/** Bumped whenever what is cached changes shape, so old entries are never read as new ones. */
const CACHE_FORMAT = 1;


export function sha256(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('hex');
}

/**
 * The key of everything a side's state depends on besides its files: the tool and its catalog queries, the
 * engine and its version, the prelude, the extensions loaded and what is introspected.
 */
export function baseKey(parts: Record<string, unknown>): string {
  return sha256(String(CACHE_FORMAT), TOOL_VERSION, JSON.stringify(parts));
}

/**
 * Which project a history belongs to, for bounding checkpoints per project in a store several projects share
 * (a dev server): its first file's path and content, which a project keeps while it adds migrations.
 */
export function projectKey(files: ParsedFile[]): string {
  const first = files[0]?.file;
  return sha256(first?.displayPath ?? '', first?.text ?? '').slice(0, 16);
}

/**
 * A hash chain over the files of one side, in the order they are applied: keys[i] identifies the state after
 * files[0..i]. Editing any file changes its key and every key after it, so a cached state is only reused for
 * an unchanged prefix of the history.
 */
export function chainKeys(base: string, files: ParsedFile[]): string[] {
  const keys: string[] = [];
  let previous = base;
  for (const { file, included } of files) {
    previous = sha256(previous, file.text, ...(included ?? []).flatMap((f) => [f.path, f.text]));
    keys.push(previous);
  }
  return keys;
}
