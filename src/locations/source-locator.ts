import type { ObjectKind } from '../catalog/catalog-object.js';
import { displayPath } from '../inputs/display-path.js';
import type { ParsedFile, ParsedStatement } from '../parse/parse-sql.js';
import { byteToCharOffsets } from '../parse/source-position.js';
import type { SourceLocation } from '../report/finding.js';
import { STATEMENT_OBJECTS, type StatementContext } from './statement-objects.js';

const DEFAULT_SCHEMA = 'public';

/**
 * Other keys to try when an object's catalog key is not found as written. Functions are located by name
 * because their catalog key carries argument types as Postgres prints them (`public.f(integer, text)`).
 */
const FALLBACK_KEYS: Partial<Record<ObjectKind, (key: string) => string[]>> = {
  function: (key) => [key.replace(/\(.*\)$/, '')],
};

/**
 * Where each object was defined or last changed, on one side (reference, or baseline + migrations): built from
 * the parse trees in apply order, so a later statement (ALTER TABLE … ENABLE ROW LEVEL SECURITY in V006)
 * replaces an earlier one (the CREATE TABLE in V002).
 */
export class SourceLocator {
  private readonly byKind = new Map<ObjectKind, Map<string, SourceLocation>>();

  /** `cwd`: file paths in locations are relative to it, like the paths in the rest of the report. */
  constructor(files: ParsedFile[], cwd = process.cwd()) {
    for (const file of files) this.addFile(file, cwd);
  }

  /** The object's location; an object not found falls back to its table's (`table` as in Finding.table). */
  find(kind: ObjectKind, key: string, table?: string): SourceLocation | undefined {
    const locations = this.byKind.get(kind);
    for (const candidate of [key, ...(FALLBACK_KEYS[kind]?.(key) ?? [])]) {
      const found = locations?.get(candidate);
      if (found) return found;
    }
    return table && !(kind === 'table' && table === key) ? this.byKind.get('table')?.get(table) : undefined;
  }

  /** A renamed table takes its columns, constraints, policies and triggers (keyed under the table) along. */
  private moveChildren(from: string, to: string): void {
    for (const [kind, locations] of this.byKind) {
      if (kind === 'table') continue;
      for (const [key, location] of [...locations]) {
        if (key.startsWith(`${from}.`)) locations.set(`${to}${key.slice(from.length)}`, location);
      }
    }
  }

  private addFile(file: ParsedFile, cwd: string): void {
    // Each file runs in its own session (see applyMigrations/applyReference): search_path starts fresh.
    const ctx: StatementContext = { schema: DEFAULT_SCHEMA };
    const toChar = byteToCharOffsets(file.file.text);
    const path = displayPath(file.file.path, cwd);
    for (const statement of file.statements) {
      if (statement.type === 'VariableSetStmt') {
        trackSearchPath(statement.node, ctx);
        continue;
      }
      for (const object of STATEMENT_OBJECTS[statement.type]?.(statement.node, ctx) ?? []) {
        if (object.renamedFrom) this.moveChildren(object.renamedFrom, object.key);
        let kindMap = this.byKind.get(object.kind);
        if (!kindMap) this.byKind.set(object.kind, (kindMap = new Map()));
        kindMap.set(object.key, locate(file, statement, path, object.at === undefined ? undefined : toChar(object.at)));
      }
    }
  }
}

/** The statement's span, or the line of the node inside it (a column of a CREATE TABLE) when it has one. */
function locate(file: ParsedFile, statement: ParsedStatement, path: string, offset: number | undefined): SourceLocation {
  if (offset === undefined || offset < statement.offset) return { file: path, line: statement.line, column: statement.column, endLine: statement.endLine };
  const at = file.lines.position(offset);
  return { file: path, line: at.line, column: at.column, endLine: at.line };
}

function trackSearchPath(node: Record<string, any>, ctx: StatementContext): void {
  if (node.name !== 'search_path') return;
  if (node.kind === 'VAR_SET_VALUE') {
    const first = (node.args ?? []).map((a: Record<string, any>) => a.A_Const?.sval?.sval).find((s: string | undefined) => s && s !== '$user');
    if (first) ctx.schema = first;
  } else if (node.kind === 'VAR_RESET' || node.kind === 'VAR_SET_DEFAULT') {
    ctx.schema = DEFAULT_SCHEMA;
  }
}
