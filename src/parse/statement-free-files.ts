import type { ParsedFile } from './parse-sql.js';

/**
 * One note per file that holds no SQL statement (0 bytes, whitespace, comments or lone semicolons): nothing
 * in it is applied and the run goes on, but a file that was meant to hold DDL (an unsaved editor buffer, a
 * placeholder migration) should not pass unnoticed. A file a migration format reads in several parts is noted
 * once, and only when none of its parts has a statement.
 */
export function statementFreeFileNotes(files: ParsedFile[]): string[] {
  const statementsByFile = new Map<string, { displayPath: string; statements: number }>();
  for (const f of files) {
    const seen = statementsByFile.get(f.file.path);
    statementsByFile.set(f.file.path, { displayPath: f.file.displayPath, statements: (seen?.statements ?? 0) + f.statements.length });
  }
  return [...statementsByFile.values()]
    .filter((f) => f.statements === 0)
    .map((f) => `${f.displayPath}: no SQL statements (empty, or only whitespace and comments); nothing was applied from it`);
}
