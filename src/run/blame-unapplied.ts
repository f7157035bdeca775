import { SqlApplyError } from '../errors.js';
import { displayPath } from '../inputs/display-path.js';
import type { RunInputs } from './step.js';

/**
 * A migration that fails after one verify-schema could not run (a goose Go migration) most likely needs what
 * that one creates: the error names it, so the user is not left hunting for a missing table.
 */
export function blameUnapplied(error: unknown, inputs: RunInputs): unknown {
  if (!(error instanceof SqlApplyError) || inputs.unapplied.length === 0) return error;
  const cwd = inputs.cwd;
  const failed = inputs.migrationList.findIndex((m) => error.message.startsWith(`${displayPath(m.path, cwd)}:`));
  const before = inputs.unapplied.filter((u) => failed >= 0 && u.before <= failed);
  if (before.length === 0) return error;
  const names = before.map((u) => displayPath(u.path, cwd)).join(', ');
  return new SqlApplyError(
    `${error.message}; it runs after ${names}, which verify-schema cannot apply (${before[0].reason.replace(/,.*$/, '')}) and which probably creates what it needs — verify this history up to the Go migration only, or move that schema change into SQL`,
    { excerpt: error.excerpt, cause: error },
  );
}
