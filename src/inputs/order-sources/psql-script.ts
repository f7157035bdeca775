import { isSqlPath, numberedLines, type ExtractedOrder } from './order-entry.js';

/** `\i`, `\ir`, `\include`, `\include_relative`: the psql meta-commands that run another file. */
const INCLUDE = /^\s*\\(?:i|ir|include|include_relative)\s+(?:'((?:[^']|'')*)'|(\S+))/;

/**
 * Reads a psql script (`setup.sql` or `setup.psql` run with `psql -f`): each `\i FILE` / `\ir FILE` line
 * yields FILE, in order. SQL in the script itself is not a reference file and is ignored.
 * A path holding a psql variable (`:dir/a.sql`) cannot be known and is skipped with a note.
 */
export function readPsqlLines(text: string, firstLine = 1): ExtractedOrder {
  const entries: ExtractedOrder['entries'] = [];
  const notes: string[] = [];
  for (const { text: line, line: n } of numberedLines(text, firstLine)) {
    const m = INCLUDE.exec(line);
    if (!m) continue;
    const path = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
    if (/(^|\/):['"]?\w/.test(path)) notes.push(`line ${n}: ${path} skipped: it names a psql variable`);
    else if (!isSqlPath(path)) notes.push(`line ${n}: ${path} skipped: not a .sql path`);
    else entries.push({ path, line: n, runLine: n });
  }
  return { form: 'psql', entries, notes };
}
