import type { FileTraceHooks, MigrationTracer } from '../../apply/apply-statements.js';
import { qualify, type Catalog } from '../../catalog/catalog-object.js';
import type { ScratchDatabase } from '../../engine/scratch-database.js';
import { displayPath } from '../../inputs/display-path.js';
import { SourceLocator } from '../../locations/source-locator.js';
import type { ParsedFile, ParsedStatement } from '../../parse/parse-sql.js';
import { trace } from '../../trace.js';
import type { LintHit, LintRuleInstance, NamedRelation, ObservedLock, StatementFacts, WrittenName } from './lint-rule.js';
import { LINT_RULES } from './registry.js';
import { staticLocks } from './static-locks.js';
import { namedRelations, regclassText, writtenKey } from './statement-relations.js';

/** Every relation of the database before the migration began (oid → what it was), user objects only. */
const SNAPSHOT_SQL = `
  SELECT c.oid::text AS oid, c.relfilenode::text AS relfilenode, c.relkind::text AS kind, n.nspname AS schema, c.relname AS name
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid >= 16384 AND n.nspname <> 'pg_toast'`;

/** Relation locks held by this backend (the migration's own transaction), with each relation's current storage. */
const LOCKS_SQL = `
  SELECT l.relation::text AS oid, l.mode, c.relfilenode::text AS relfilenode, c.relkind::text AS kind, n.nspname AS schema, c.relname AS name
    FROM pg_catalog.pg_locks l
    LEFT JOIN pg_catalog.pg_class c ON c.oid = l.relation
    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted AND l.relation >= 16384
     AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())`;

const RESOLVE_SQL = `
  SELECT w.written, c.oid::text AS oid, c.relkind::text AS kind, n.nspname AS schema, c.relname AS name
    FROM pg_catalog.unnest($1::text[]) WITH ORDINALITY AS w(written, ord)
    LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(w.written)
    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   ORDER BY w.ord`;

interface RelationRow {
  oid: string;
  relfilenode: string | null;
  kind: string | null;
  schema: string | null;
  name: string | null;
}

/** Tables whose storage a rewrite replaces (a partitioned table has none of its own; its partitions do). */
const STORAGE_TABLES = new Set(['r', 'm']);

/**
 * One lint run: traces the linted migrations as they are applied (see MigrationTracer), runs every rule on
 * each statement, and after the last migration runs the rules about the final state. Time spent in trace
 * queries is counted and shown under VERIFY_SCHEMA_TRACE.
 */
export class LintSession implements MigrationTracer {
  private readonly rules: Array<{ code: string; instance: LintRuleInstance }>;
  private readonly hits = new Map<ParsedFile, Array<{ code: string; hit: LintHit }>>();
  private readonly untracedWhy = new Map<ParsedFile, string>();
  private traceMs = 0;
  private traceQueries = 0;

  private versionNum = 0;
  /** Index of the first linted file in the history: a checkpoint may only start before it. */
  readonly firstTraced: number;

  constructor(
    private readonly linted: Set<ParsedFile>,
    history: ParsedFile[],
  ) {
    this.firstTraced = Math.max(0, history.findIndex((f) => linted.has(f)));
    this.rules = LINT_RULES.map((r) => ({ code: r.code, instance: r.create() }));
  }

  traces(file: ParsedFile): boolean {
    return this.linted.has(file);
  }

  /** Why each untraced linted file could not be traced (for the report's notes). */
  get untracedFiles(): Map<ParsedFile, string> {
    return this.untracedWhy;
  }

  untraced(file: ParsedFile, why: string): void {
    this.hits.delete(file);
    for (const r of this.rules) r.instance.forgetFile?.(file);
    this.untracedWhy.set(file, why);
    trace(`lint: ${file.file.displayPath} not traced (${why}): static rules`);
  }

  async beginFile(db: ScratchDatabase, file: ParsedFile): Promise<FileTraceHooks> {
    if (!this.versionNum) {
      const [row] = await this.query<{ v: string }>(db, `SELECT pg_catalog.current_setting('server_version_num') AS v`);
      this.versionNum = Number(row.v);
    }
    const snapshot = new Map<string, RelationRow>();
    for (const row of await this.query<RelationRow>(db, SNAPSHOT_SQL)) snapshot.set(row.oid, row);
    // Storage as last seen, to tell which statement replaced it; locks held so far, to tell what each statement added.
    const storage = new Map([...snapshot].map(([oid, row]) => [oid, row.relfilenode]));
    const held = new Set<string>();
    const pending: Array<{ code: string; hit: LintHit }> = [];
    let resolved = new Map<string, NamedRelation>();
    let prepared = new Map<string, unknown>();
    const statements = new Map(file.statements.map((s, i) => [s, i]));
    return {
      beforeStatement: async (statement) => {
        resolved = new Map();
        const names = namedRelations(statement);
        if (names.length) {
          const rows = await this.query<RelationRow & { written: string }>(db, RESOLVE_SQL, [names.map(regclassText)]);
          for (const [i, w] of names.entries()) {
            const row = rows[i];
            if (row?.oid) resolved.set(writtenKey(w), { name: qualify(row.schema!, row.name!), kind: row.kind!, preExisting: snapshot.has(row.oid) });
          }
        }
        prepared = new Map();
        for (const r of this.rules) {
          if (r.instance.prepare) prepared.set(r.code, await this.timed(() => r.instance.prepare!(statement, db, this.versionNum), false));
        }
      },
      afterStatement: async (statement) => {
        const rows = await this.query<RelationRow & { mode: string }>(db, LOCKS_SQL);
        const taken = new Map<string, ObservedLock>();
        const holding = new Map<string, ObservedLock>();
        const rewritten: string[] = [];
        for (const row of rows) {
          const known = snapshot.get(row.oid);
          const name = row.name ? qualify(row.schema!, row.name) : known ? qualify(known.schema!, known.name!) : undefined;
          if (!name || (row.schema ?? known?.schema) === 'pg_toast') continue;
          const key = `${row.oid} ${row.mode}`;
          const lock: ObservedLock = { relation: name, mode: row.mode, kind: row.kind ?? known?.kind ?? undefined, preExisting: known !== undefined };
          const strongest = holding.get(row.oid);
          if (!strongest || stronger(lock.mode, strongest.mode)) holding.set(row.oid, lock);
          if (!held.has(key)) {
            held.add(key);
            // Per relation the strongest mode the statement added is what others wait for.
            const before = taken.get(row.oid);
            if (shown(lock) && (!before || stronger(lock.mode, before.mode))) taken.set(row.oid, lock);
          }
          if (known && row.relfilenode && STORAGE_TABLES.has(known.kind!) && storage.get(row.oid) !== row.relfilenode) {
            if (!rewritten.includes(name)) rewritten.push(name);
            storage.set(row.oid, row.relfilenode);
          }
        }
        const facts: StatementFacts = {
          statement,
          file,
          index: statements.get(statement) ?? 0,
          traced: true,
          relation: (w) => resolved.get(writtenKey(w)),
          locks: [...taken.values()].sort(byRelationAndMode),
          held: [...holding.values()].sort(byRelationAndMode),
          rewritten,
          db,
          versionNum: this.versionNum,
        };
        for (const r of this.rules) {
          if (!r.instance.check) continue;
          const found = await this.timed(async () => r.instance.check!(facts, prepared.get(r.code)), false);
          for (const hit of found) pending.push({ code: r.code, hit });
        }
      },
      committed: () => {
        this.hits.set(file, pending);
      },
    };
  }

  /**
   * The fallback for a file that cannot be traced: the same rules on the statement text. A relation counts
   * as pre-existing unless an earlier statement of the same file created it (by name).
   */
  private async checkStatically(file: ParsedFile): Promise<Array<{ code: string; hit: LintHit }>> {
    const created = new Set<string>();
    let schema = 'public';
    const found: Array<{ code: string; hit: LintHit }> = [];
    for (const [index, statement] of file.statements.entries()) {
      if (statement.type === 'VariableSetStmt' && statement.node.name === 'search_path') {
        schema = String(statement.node.args?.[0]?.A_Const?.sval?.sval ?? 'public');
      }
      const relation = (w: WrittenName): NamedRelation => {
        const name = qualify(w.schema ?? schema, w.name);
        return { name, preExisting: !created.has(name) };
      };
      const facts: StatementFacts = {
        statement,
        file,
        index,
        traced: false,
        relation,
        locks: staticLocks(statement, relation),
        held: staticLocks(statement, relation),
        rewritten: [],
        versionNum: this.versionNum,
      };
      for (const r of this.rules) {
        if (!r.instance.check) continue;
        for (const hit of await r.instance.check(facts, undefined)) found.push({ code: r.code, hit });
      }
      for (const name of createdNames(statement, schema)) created.add(name);
    }
    return found;
  }

  /** The rules about the final state (after the last migration), then every hit in file and statement order. */
  async finish(catalog: Catalog, files: ParsedFile[], cwd: string): Promise<Array<{ code: string; hit: LintHit }>> {
    for (const file of this.untracedWhy.keys()) this.hits.set(file, await this.checkStatically(file));
    // Only the linted files: what the rules about the final state report must have been made by one of them.
    const lintedFiles = files.filter((f) => this.linted.has(f));
    const locator = new SourceLocator(lintedFiles, cwd);
    const byDisplay = new Map(lintedFiles.map((f) => [displayPath(f.file.path, cwd), f]));
    const locate = (kind: 'constraint' | 'policy', key: string): ParsedStatement | undefined => {
      // By the object's own key, never by its table's (the locator's fallback): that would blame another statement.
      const at = locator.find(kind, key);
      const file = at && byDisplay.get(at.file);
      if (!at || !file) return undefined;
      // The location may be a line inside the statement (a constraint in a CREATE TABLE): the statement containing it.
      return file.statements.find((s) => s.line <= at.line && at.line <= s.endLine);
    };
    const final: Array<{ code: string; hit: LintHit }> = [];
    for (const r of this.rules) {
      for (const hit of r.instance.finish?.({ catalog, files, linted: this.linted, locate }) ?? []) final.push({ code: r.code, hit });
    }
    trace(`lint: ${this.traceQueries} trace queries on ${this.linted.size} file${this.linted.size === 1 ? '' : 's'} (${Math.round(this.traceMs)} ms)`);
    const order = new Map(files.map((f, i) => [f.file.path, i]));
    const all = [...[...this.hits.values()].flat(), ...final];
    return all.sort((a, b) => (order.get(a.hit.statement.file.path) ?? 0) - (order.get(b.hit.statement.file.path) ?? 0) || a.hit.statement.offset - b.hit.statement.offset);
  }

  private async query<T>(db: ScratchDatabase, sql: string, params?: unknown[]): Promise<T[]> {
    return this.timed(() => db.query<T>(sql, params));
  }

  /** Counts the time of tracing work (and, for one query, the query) for VERIFY_SCHEMA_TRACE. */
  private async timed<T>(work: () => Promise<T>, isQuery = true): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.traceMs += performance.now() - started;
      if (isQuery) this.traceQueries++;
    }
  }
}

const LOCK_STRENGTH = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

function stronger(a: string, b: string): boolean {
  return LOCK_STRENGTH.indexOf(a) > LOCK_STRENGTH.indexOf(b);
}

/**
 * The locks worth reporting: on tables, partitioned tables, views and materialized views (what other sessions
 * query), and ACCESS EXCLUSIVE on an index that existed before (dropping or rebuilding it). The locks every
 * statement takes on the indexes of a table it reads or writes, and on sequences, add nothing.
 */
function shown(lock: ObservedLock): boolean {
  if (lock.kind === 'i' || lock.kind === 'I') return lock.preExisting && lock.mode === 'AccessExclusiveLock';
  return lock.kind === undefined || ['r', 'p', 'v', 'm', 'f'].includes(lock.kind);
}

function byRelationAndMode(a: ObservedLock, b: ObservedLock): number {
  return a.relation.localeCompare(b.relation) || a.mode.localeCompare(b.mode);
}

/** Relations a statement creates, by schema-qualified name (for the static fallback's "created in this file"). */
function createdNames(statement: ParsedStatement, schema: string): string[] {
  const n = statement.node;
  const name = (rv: Record<string, any> | undefined) => (rv?.relname ? [qualify(rv.schemaname || schema, rv.relname)] : []);
  switch (statement.type) {
    case 'CreateStmt':
      return name(n.relation);
    case 'CreateTableAsStmt':
      return name(n.into?.rel);
    case 'ViewStmt':
      return name(n.view);
    case 'IndexStmt':
      return n.idxname ? [qualify(n.relation?.schemaname || schema, n.idxname)] : [];
    default:
      return [];
  }
}
