import type { ScratchDatabase } from '../engine/scratch-database.js';
import type { ParsedFile, ParsedStatement } from '../parse/parse-sql.js';
import { resetSession, runnable, sendsWhole, tryStatement, tryWholeFile, type OnFile } from './apply-statements.js';

/** The first statement a setup script could not run, and where it is in the script's list. */
export interface SetupFailure {
  /** Index of the failing file in the list that was applied. */
  index: number;
  statement: ParsedStatement;
  error: unknown;
}

/**
 * Applies reference files in the order a setup script runs them, as `psql -v ON_ERROR_STOP=1 -f FILE` does for
 * each: statements in autocommit, one after the other, no retry of a statement that needs something a later
 * file creates. At the first statement that fails the script stops (`set -e`, `&&`, make), so this returns it
 * and applies nothing more; what ran before it stays, as it would in the database the script set up.
 *
 * A file that runs whole is sent in one transaction first (one round trip); only when that fails is it rolled
 * back and replayed statement by statement, to apply exactly what psql would have before the failing statement.
 */
export async function applySetupOrder(db: ScratchDatabase, files: ParsedFile[], onFile?: OnFile): Promise<SetupFailure | undefined> {
  for (const [index, file] of files.entries()) {
    onFile?.(file, index, files.length);
    if (sendsWhole(file) && (await tryWholeFile(db, file))) continue;
    for (const statement of runnable(db, file)) {
      const error = await tryStatement(db, statement);
      if (error !== undefined) return { index, statement, error };
    }
    await resetSession(db);
  }
  return undefined;
}
