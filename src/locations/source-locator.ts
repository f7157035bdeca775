import type { ObjectKind } from '../catalog/catalog-object.js';
import { displayPath } from '../inputs/display-path.js';
import type { ParsedFile, ParsedStatement } from '../parse/parse-sql.js';
import type { SqlFile } from '../inputs/read-sql-file.js';
import { byteToCharOffsets, LineIndex } from '../parse/source-position.js';
import type { SourceLocation } from '../report/finding.js';
import { STATEMENT_OBJECTS, type StatementContext, type StatementObject } from './statement-objects.js';

const DEFAULT_SCHEMA = 'public';

/**
 * Other keys to try when an object's catalog key is not found as written. Functions are located by name
 * because their catalog key carries argument types as Postgres prints them (`public.f(integer, text)`).
 */
const FALLBACK_KEYS: Partial<Record<ObjectKind, (key: string) => string[]>> = {
  function: (key) => [key.replace(/\(.*\)$/, '')],
};

/** Where one object was defined, last changed, and where each of its attributes was last set. */
interface ObjectSources {
  /** The last statement that defined the whole object (CREATE, ADD COLUMN), if any did. */
  defined?: SourceLocation;
  /** The last statement that touched it in any way. */
  last: SourceLocation;
  /** Attribute (field name) → the last statement that set it, and that statement's order on this side. */
  attributes: Map<string, { location: SourceLocation; order: number }>;
}

/**
 * Where each object was defined or last changed, on one side (reference, or baseline + migrations): built from
 * the parse trees in apply order, so a later statement (ALTER TABLE … ENABLE ROW LEVEL SECURITY in a later
 * migration) replaces an earlier one (the CREATE TABLE). It also remembers which statement set which attribute,
 * so a finding about a column's default points at the SET DEFAULT, not at a later SET NOT NULL.
 */
export class SourceLocator {
  private readonly byKind = new Map<ObjectKind, Map<string, ObjectSources>>();
  private order = 0;

  /** `cwd`: file paths in locations are relative to it, like the paths in the rest of the report. */
  constructor(files: ParsedFile[], cwd = process.cwd()) {
    for (const file of files) this.addFile(file, cwd);
  }

  /**
   * The object's location: the last statement that changed it, or with `attributes` (the fields a `changed`
   * finding names) the latest statement that set one of them, else the one that defined the object. An object
   * not found falls back to its table's (`table` as in Finding.table).
   */
  find(kind: ObjectKind, key: string, table?: string, attributes?: string[]): SourceLocation | undefined {
    const locations = this.byKind.get(kind);
    for (const candidate of [key, ...(FALLBACK_KEYS[kind]?.(key) ?? [])]) {
      const found = locations?.get(candidate);
      if (found) return attributes ? whereSet(found, attributes) : found.last;
    }
    return table && !(kind === 'table' && table === key) ? this.byKind.get('table')?.get(table)?.last : undefined;
  }

  /** A renamed table takes its columns, constraints, policies and triggers (keyed under the table) along. */
  private moveChildren(from: string, to: string): void {
    for (const [kind, locations] of this.byKind) {
      if (kind === 'table') continue;
      for (const [key, sources] of [...locations]) {
        if (key.startsWith(`${from}.`)) locations.set(`${to}${key.slice(from.length)}`, sources);
      }
    }
  }

  private record(object: StatementObject, location: SourceLocation): void {
    let kindMap = this.byKind.get(object.kind);
    if (!kindMap) this.byKind.set(object.kind, (kindMap = new Map()));
    const order = this.order++;
    const previous = (object.renamedFrom !== undefined ? kindMap.get(object.renamedFrom) : undefined) ?? kindMap.get(object.key);
    if (!object.sets) {
      kindMap.set(object.key, { defined: location, last: location, attributes: new Map() });
      return;
    }
    const sources: ObjectSources = { defined: previous?.defined, last: location, attributes: new Map(previous?.attributes) };
    for (const attribute of object.sets) sources.attributes.set(attribute, { location, order });
    kindMap.set(object.key, sources);
  }

  private addFile(file: ParsedFile, cwd: string): void {
    // Each file runs in its own session (see applyMigrations/applyReference): search_path starts fresh.
    const ctx: StatementContext = { schema: sessionSchema(file) ?? DEFAULT_SCHEMA };
    // Statements of an included file (psql \i) carry that file: offsets and paths are its own.
    const sources = new Map<SqlFile, { toChar: (byte: number) => number; lines: LineIndex; path: string }>();
    const sourceOf = (f: SqlFile) => {
      let source = sources.get(f);
      if (!source) sources.set(f, (source = { toChar: byteToCharOffsets(f.text), lines: f === file.file ? file.lines : new LineIndex(f.text), path: displayPath(f.path, cwd) }));
      return source;
    };
    for (const statement of file.statements) {
      const { toChar, lines, path } = sourceOf(statement.file);
      if (statement.type === 'VariableSetStmt') {
        trackSearchPath(statement.node, ctx);
        continue;
      }
      for (const object of STATEMENT_OBJECTS[statement.type]?.(statement.node, ctx) ?? []) {
        if (object.renamedFrom && object.kind === 'table') this.moveChildren(object.renamedFrom, object.key);
        this.record(object, locate(lines, statement, path, object.at === undefined ? undefined : toChar(object.at)));
      }
    }
  }
}

/** The first schema of a search_path the file's tool sets before it (graphile-migrate's pgSettings). */
function sessionSchema(file: ParsedFile): string | undefined {
  for (const setting of file.run?.session ?? []) {
    const path = /set_config\('search_path', '((?:[^']|'')*)'/i.exec(setting)?.[1];
    const first = path?.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1')).find((s) => s !== '$user');
    if (first) return first;
  }
  return undefined;
}

/** The latest statement that set one of `attributes`; the defining statement when none did since. */
function whereSet(sources: ObjectSources, attributes: string[]): SourceLocation {
  let latest: { location: SourceLocation; order: number } | undefined;
  for (const attribute of attributes) {
    const set = sources.attributes.get(attribute);
    if (set && (!latest || set.order > latest.order)) latest = set;
  }
  return latest?.location ?? sources.defined ?? sources.last;
}

/** The statement's span, or the line of the node inside it (a column of a CREATE TABLE) when it has one. */
function locate(lines: LineIndex, statement: ParsedStatement, path: string, offset: number | undefined): SourceLocation {
  if (offset === undefined || offset < statement.offset) return { file: path, line: statement.line, column: statement.column, endLine: statement.endLine };
  const at = lines.position(offset);
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
