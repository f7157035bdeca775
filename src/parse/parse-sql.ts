import { loadModule, parseSync } from 'libpg-query';
import { SqlApplyError } from '../errors.js';
import type { SqlFile } from '../inputs/read-sql-file.js';
import { byteToCharOffsets, LineIndex } from './source-position.js';

/** One top-level statement with the place it came from. */
export interface ParsedStatement {
  file: SqlFile;
  /** The statement's own text, without the terminating semicolon. */
  sql: string;
  /** Character offset of the statement's first token in the file. */
  offset: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Parse-tree node type, e.g. "CreateStmt", "IndexStmt". */
  type: string;
  /** The parse tree of the statement (the value under its node type). */
  node: Record<string, any>;
}

export interface ParsedFile {
  file: SqlFile;
  lines: LineIndex;
  /** In apply order; statements of files it includes (psql `\i`) carry their own file. */
  statements: ParsedStatement[];
  /** Files it includes, directly or not: part of what the file means (cache keys hash them too). */
  included?: SqlFile[];
  /** How a migration's tool runs it (absent: as Flyway does, see Migration.transaction). */
  run?: MigrationRun;
}

/** The parts of a format's Migration that decide how the apply step sends it. */
export interface MigrationRun {
  transaction: boolean | 'auto';
  /** Run in the file's session first (SET …), undone with it. */
  session?: string[];
}

let moduleReady: Promise<void> | undefined;

/** The parser is WebAssembly: load it once per process. */
export function loadParser(): Promise<void> {
  moduleReady ??= loadModule();
  return moduleReady;
}

/**
 * Parse trees kept from an earlier run, by the text they came from (see ParseTreeCache): JSON text, so every
 * parse gets objects of its own.
 */
export interface ParseTrees {
  get(text: string): string | undefined;
  put(text: string, json: string): void;
}

/** A kept tree of the text, or undefined (then it is parsed) when there is none or it does not read as one. */
function keptTree(trees: ParseTrees | undefined, text: string): { stmts?: Array<{ stmt: Record<string, any>; stmt_location?: number; stmt_len?: number }> } | undefined {
  const json = trees?.get(text);
  if (json === undefined) return undefined;
  try {
    const tree = JSON.parse(json);
    return tree && typeof tree === 'object' && (tree.stmts === undefined || Array.isArray(tree.stmts)) ? tree : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and parses a SQL file with the real Postgres parser. A syntax error becomes `path:line:column: message`. */
export async function parseSqlFile(file: SqlFile, trees?: ParseTrees): Promise<ParsedFile> {
  await loadParser();
  const lines = new LineIndex(file.text);
  let tree: { stmts?: Array<{ stmt: Record<string, any>; stmt_location?: number; stmt_len?: number }> };
  try {
    // The parser rejects only the 0-byte text ("Query cannot be empty") and returns no statement for whitespace
    // or comments: every statement-free file is the same input (see statementFreeFileNotes).
    if (file.text === '') tree = {};
    else {
      const kept = keptTree(trees, file.text);
      tree = kept ?? (parseSync(file.text) as typeof tree);
      if (!kept) trees?.put(file.text, JSON.stringify(tree));
    }
  } catch (error) {
    const details = (error as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails;
    const position = lines.position(Math.max(0, details?.cursorPosition ?? 0));
    const message = details?.message ?? (error as Error).message;
    throw new SqlApplyError(`${file.displayPath}:${position.line}:${position.column}: syntax error: ${message.replace(/^syntax error /, '')}`, {
      excerpt: lines.excerpt(position),
      cause: error,
    });
  }
  const toChar = byteToCharOffsets(file.text);
  const statements: ParsedStatement[] = [];
  for (const raw of tree.stmts ?? []) {
    const startByte = raw.stmt_location ?? 0;
    const start = toChar(startByte);
    const end = raw.stmt_len ? toChar(startByte + raw.stmt_len) : file.text.length;
    const sql = file.text.slice(start, end);
    // A statement's text may begin with whitespace or comments that libpg_query kept: point at its first token.
    const lead = leadingTriviaLength(sql);
    const from = lines.position(start + lead);
    const to = lines.position(Math.max(start + lead, end - trailingWhitespaceLength(sql) - 1));
    const type = Object.keys(raw.stmt)[0];
    statements.push({
      file,
      sql: sql.slice(lead).trimEnd(),
      offset: start + lead,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      type,
      node: raw.stmt[type] ?? {},
    });
  }
  return { file, lines, statements };
}

function trailingWhitespaceLength(sql: string): number {
  return sql.length - sql.trimEnd().length;
}

/** Length of whitespace and SQL comments before the first token. */
function leadingTriviaLength(sql: string): number {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i])) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      // Postgres block comments nest.
      let depth = 0;
      do {
        if (sql.startsWith('/*', i)) { depth++; i += 2; }
        else if (sql.startsWith('*/', i)) { depth--; i += 2; }
        else i++;
      } while (depth > 0 && i < sql.length);
    } else return i;
  }
}
