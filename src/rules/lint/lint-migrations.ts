import { changedMigrations } from '../history/changed-migrations.js';
import { displayPath } from '../../inputs/display-path.js';
import type { ParsedFile } from '../../parse/parse-sql.js';
import type { LintSession } from './lint-session.js';

export interface LintPlan {
  /** The migrations to lint. */
  linted: Set<ParsedFile>;
  /** The base they are new against; undefined: every migration. */
  baseRef?: string;
  warnings: string[];
}

/**
 * Which migrations to lint: those new or changed since the base revision (a pull request's own), or every
 * migration when there is no base. `required`: the check's lint step lints only against a known base.
 */
export async function planLint(migrations: ParsedFile[], baseRef: string | undefined, required: boolean): Promise<LintPlan | undefined> {
  if (!baseRef) return required ? undefined : { linted: new Set(migrations), warnings: ['lint: no --base-ref, so every migration was linted (pass --base-ref REV to lint only the migrations new since REV)'] };
  const changed = await changedMigrations(migrations.map((m) => m.file.path), baseRef);
  if ('skipped' in changed) {
    if (required) return undefined;
    return { linted: new Set(migrations), warnings: [`lint: cannot tell which migrations are new since ${baseRef} (${changed.skipped}), so every migration was linted`] };
  }
  return { linted: new Set(migrations.filter((m) => changed.changed.has(m.file.path))), baseRef, warnings: [] };
}

/** One note per linted file that could not be traced: its findings come from the statement text. */
export function untracedNotes(session: LintSession | undefined, cwd: string): string[] {
  return [...(session?.untracedFiles ?? new Map<ParsedFile, string>())].map(
    ([file, why]) => `lint: ${displayPath(file.file.path, cwd)} was not traced (${why}); its findings are judged from the statement text (traced: false)`,
  );
}
