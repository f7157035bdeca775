import { SqlApplyError } from '../errors.js';
import { asPostgresError, type PostgresErrorFields, type ScratchDatabase } from '../engine/scratch-database.js';
import { SESSION_TOKEN_PREFIX, SESSION_TOKENS } from '../inputs/formats/migration-format.js';
import type { ParsedFile, ParsedStatement } from '../parse/parse-sql.js';
import { LineIndex } from '../parse/source-position.js';
import { trace } from '../trace.js';

/** Called before each file is applied (progress reporting). */
export type OnFile = (file: ParsedFile, index: number, total: number) => void;

/**
 * Statements Postgres refuses to run inside a transaction block. A migration containing one runs without a
 * transaction, as Flyway does.
 */
function cannotRunInTransaction(statement: ParsedStatement): boolean {
  const n = statement.node;
  switch (statement.type) {
    case 'IndexStmt':
      return n.concurrent === true;
    case 'ReindexStmt':
      return JSON.stringify(n.params ?? []).includes('"concurrently"');
    case 'DropStmt':
      return n.concurrent === true;
    case 'VacuumStmt':
      return n.is_vacuumcmd === true;
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'AlterSystemStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'CreateSubscriptionStmt':
    case 'DropSubscriptionStmt':
      return true;
    case 'AlterTableStmt':
      return JSON.stringify(n.cmds ?? []).includes('AT_DetachPartitionFinalize') || /detach\s+partition[\s\S]*concurrently/i.test(statement.sql);
    default:
      return false;
  }
}

/** The file manages its own transactions (BEGIN/COMMIT written in it). */
function managesTransactions(file: ParsedFile): boolean {
  return file.statements.some((s) => s.type === 'TransactionStmt');
}

/**
 * Applies migrations the way Flyway runs them: each file in its own transaction, unless it contains a
 * statement that cannot run in one (or manages transactions itself). Session settings made by a file
 * (SET search_path, SET ROLE) end with the file, as with one psql session per file.
 *
 * A transactional file goes to the database in one round trip; only when it fails is it rolled back and
 * replayed one statement at a time, to name the statement that failed.
 */
export async function applyMigrations(db: ScratchDatabase, files: ParsedFile[], onFile?: OnFile, tracer?: MigrationTracer): Promise<void> {
  for (const [index, file] of files.entries()) {
    onFile?.(file, index, files.length);
    const transactional = runsInTransaction(file);
    const sql = await sessionValues(db, file);
    const traced = tracer?.traces(file) ?? false;
    if (!traced && sendsWhole(file) && (await tryWholeFile(db, file, sql))) continue;
    for (const setting of file.run?.session ?? []) await db.exec(setting);
    // Only a file that runs in one transaction can be traced: its locks are held until COMMIT, so what each
    // statement added to them is visible after it. Outside a transaction every statement releases its locks.
    if (traced && !transactional) tracer!.untraced(file, 'it runs outside a transaction');
    if (transactional) await db.exec('BEGIN');
    const hooks = traced && transactional ? await startTrace(tracer!, db, file) : undefined;
    for (const statement of runnable(db, file)) {
      const before = hooks && (await hookFailure(() => hooks.beforeStatement(statement)));
      if (before) return retryUntraced(db, files.slice(index), onFile, tracer!, index, files.length, before);
      try {
        await db.exec(sql(statement));
      } catch (error) {
        if (transactional) await db.exec('ROLLBACK').catch(() => undefined);
        throw applyError(statement, error, db.label);
      }
      const after = hooks && (await hookFailure(() => hooks.afterStatement(statement)));
      if (after) return retryUntraced(db, files.slice(index), onFile, tracer!, index, files.length, after);
    }
    if (transactional) await db.exec('COMMIT');
    hooks?.committed();
    await resetSession(db);
  }
}

/**
 * Watches the statements of migrations as they are applied (the lint's tracing). `traces` picks the files;
 * a traced file that runs in a transaction is applied statement by statement inside it, with beforeStatement
 * and afterStatement around each statement (they may only read the catalog: they run inside the
 * migration's transaction).
 */
export interface MigrationTracer {
  traces(file: ParsedFile): boolean;
  /** Called inside the file's transaction, before its first statement (BEGIN has been sent by then). */
  beginFile(db: ScratchDatabase, file: ParsedFile): Promise<FileTraceHooks>;
  /** The file is applied without tracing (outside a transaction, or a trace query failed): static rules only. */
  untraced(file: ParsedFile, why: string): void;
}

export interface FileTraceHooks {
  beforeStatement(statement: ParsedStatement): Promise<void>;
  afterStatement(statement: ParsedStatement): Promise<void>;
  /** The file's transaction committed: what was recorded for it is final. */
  committed(): void;
}

/** The file's hooks; undefined (with the transaction begun afresh) when the tracer's first query failed. */
async function startTrace(tracer: MigrationTracer, db: ScratchDatabase, file: ParsedFile): Promise<FileTraceHooks | undefined> {
  try {
    return await tracer.beginFile(db, file);
  } catch (error) {
    await db.exec('ROLLBACK');
    tracer.untraced(file, `tracing failed: ${(error as Error).message}`);
    await db.exec('BEGIN');
    return undefined;
  }
}

/** Why a trace hook failed (its error message), or undefined when it did not. */
async function hookFailure(hook: () => Promise<void>): Promise<string | undefined> {
  try {
    await hook();
    return undefined;
  } catch (error) {
    return (error as Error).message ?? String(error);
  }
}

/**
 * A trace query failed, which aborts the migration's transaction: roll the file back and apply it (and the
 * rest) again without tracing this file, so tracing never changes what a migration does.
 */
async function retryUntraced(db: ScratchDatabase, rest: ParsedFile[], onFile: OnFile | undefined, tracer: MigrationTracer, offset: number, total: number, why: string): Promise<void> {
  await db.exec('ROLLBACK').catch(() => undefined);
  await resetSession(db);
  tracer.untraced(rest[0], `a trace query failed: ${why}`);
  const skipFirst: MigrationTracer = { ...tracer, traces: (f) => f !== rest[0] && tracer.traces(f), beginFile: (d, f) => tracer.beginFile(d, f), untraced: (f, why) => (f === rest[0] ? undefined : tracer.untraced(f, why)) };
  await applyMigrations(db, rest, onFile && ((file, i) => onFile(file, offset + i, total)), skipFirst);
}

/**
 * The file is wrapped in BEGIN … COMMIT: as its tool says (goose NO TRANSACTION, dbmate transaction:false), or
 * by Flyway's rule — unless a statement refuses a transaction block or the file writes its own.
 */
function runsInTransaction(file: ParsedFile): boolean {
  const told = file.run?.transaction ?? 'auto';
  if (told !== 'auto') return told;
  return !managesTransactions(file) && !file.statements.some(cannotRunInTransaction);
}

/**
 * How a migration's statements are sent: with the scratch database's own name and role in place of the
 * session tokens a format wrote for placeholders such as `${flyway:database}` (asked once per file that has one).
 */
async function sessionValues(db: ScratchDatabase, file: ParsedFile): Promise<(statement: ParsedStatement) => string> {
  if (!file.file.text.includes(SESSION_TOKEN_PREFIX)) return (statement) => statement.sql;
  const [row] = await db.query<{ database: string; user: string }>('SELECT current_database() AS database, session_user AS user');
  return (statement) => statement.sql.replaceAll(SESSION_TOKENS.database, row.database).replaceAll(SESSION_TOKENS.user, row.user);
}

/** The file can go in one round trip: it runs in a transaction and reads the same in one query string. */
export function sendsWhole(file: ParsedFile): boolean {
  return runsInTransaction(file) && !file.statements.some(changesLexer);
}

/** The file's statements this database runs (see ScratchDatabase.skips), whole or one by one alike. */
export function runnable(db: ScratchDatabase, file: ParsedFile): ParsedStatement[] {
  return db.skips ? file.statements.filter((statement) => !db.skips!(statement)) : file.statements;
}

/**
 * Postgres reads a whole query string before running any of it, so a setting that changes how SQL text is
 * read (string escapes) would not reach the statements after it in the same round trip.
 */
function changesLexer(statement: ParsedStatement): boolean {
  return statement.type === 'VariableSetStmt' && ['standard_conforming_strings', 'backslash_quote'].includes(String(statement.node.name ?? '').toLowerCase());
}

/**
 * Runs a whole file as one transaction in one round trip (then ends its session settings). Returns false,
 * with the transaction rolled back and nothing of the file applied, when any statement failed.
 */
export async function tryWholeFile(db: ScratchDatabase, file: ParsedFile, sql: (statement: ParsedStatement) => string = (s) => s.sql): Promise<boolean> {
  const statements = runnable(db, file);
  if (statements.length === 0) return true;
  // A newline before each semicolon: a statement's text may end in a -- comment.
  const body = statements.map((s) => `${sql(s)}\n;`).join('\n');
  const session = (file.run?.session ?? []).map((s) => `${s};\n`).join('');
  try {
    await db.exec(`${session}BEGIN;\n${body}\nCOMMIT;\n${RESET_SESSION}`);
    return true;
  } catch (error) {
    trace(`${db.label}: ${file.file.displayPath} replayed statement by statement (${(error as Error).message})`);
    await db.exec('ROLLBACK').catch(() => undefined);
    // A PREPARE survives the rollback and would make the replay fail at the wrong statement.
    await db.exec(`${RESET_SESSION}; DEALLOCATE ALL`);
    return false;
  }
}

/**
 * SQLSTATEs that mean "something this statement needs does not exist yet": undefined table, function,
 * object, schema, column (of a table created later and altered since), or the unique constraint a foreign key
 * references (added by a later ALTER TABLE). Such a reference statement is
 * retried after the others.
 */
const WAITING_STATES = new Set(['42P01', '42883', '42704', '3F000', '42703', '42P02', '42830']);

/**
 * Applies reference files in path order, each statement on its own. Reference files often depend on each
 * other in an order that differs from their path order, so a statement that fails because something it needs
 * does not exist yet is retried once the others have run, until no more progress is made; only then is the
 * first remaining failure reported, naming the statement and what it waited for. A retried statement runs
 * with the session settings (SET search_path, SET ROLE, …) its file had made before it.
 */
export async function applyReference(db: ScratchDatabase, files: ParsedFile[], onFile?: OnFile): Promise<{ inOrder: boolean }> {
  let waiting: WaitingStatement[] = [];
  // Every statement ran where it stands, first time, without a setting made for it: what a script running the
  // files in this order (applySetupOrder) would have made too.
  let inOrder = true;
  for (const [index, file] of files.entries()) {
    onFile?.(file, index, files.length);
    // Most files apply whole; one that waits for a later file or fails is rolled back and run statement by statement.
    if (sendsWhole(file) && (await tryWholeFile(db, file))) continue;
    // Settings the tool or platform makes before every file (a search_path), then the file's own SETs.
    const preset = file.run?.session ?? [];
    if (preset.length) inOrder = false;
    for (const setting of preset) await db.exec(setting);
    const session: ParsedStatement[] = [];
    for (const statement of runnable(db, file)) {
      const error = await tryStatement(db, statement);
      if (statement.type === 'VariableSetStmt') session.push(statement);
      if (error === undefined) continue;
      if (!isWaiting(error) || managesTransactions(file)) throw applyError(statement, error, db.label);
      waiting.push({ statement, error, session: [...session], preset });
      inOrder = false;
    }
    await resetSession(db);
  }
  while (waiting.length > 0) {
    const stillWaiting: WaitingStatement[] = [];
    for (const item of waiting) {
      for (const setting of item.preset) await db.exec(setting);
      for (const setting of item.session) await db.exec(standaloneSql(setting));
      const error = await tryStatement(db, item.statement);
      if (item.session.length || item.preset.length) await resetSession(db);
      if (error === undefined) continue;
      if (!isWaiting(error)) throw applyError(item.statement, error, db.label);
      stillWaiting.push({ ...item, error });
    }
    if (stillWaiting.length === waiting.length) throw stuckError(stillWaiting, db.label);
    waiting = stillWaiting;
  }
  return { inOrder };
}

interface WaitingStatement {
  statement: ParsedStatement;
  error: unknown;
  /** SET statements its file ran before it. */
  session: ParsedStatement[];
  /** Settings made before its file (MigrationRun.session). */
  preset: string[];
}

/** The first statement that never ran, what it waited for, and where the others that never ran are. */
function stuckError(stuck: WaitingStatement[], side: string): SqlApplyError {
  const waitsFor = (item: WaitingStatement) => (asPostgresError(item.error)?.message ?? '').replace(/ does not exist$/, '');
  // Report the root cause: a statement waiting for something no other stuck statement mentions (the others
  // usually wait for it, or for each other).
  const root = stuck.find((item) => {
    const name = /"([^"]+)"/.exec(waitsFor(item))?.[1] ?? /^(?:function|procedure) ([^\s(]+)\(/.exec(waitsFor(item))?.[1];
    return name !== undefined && !stuck.some((other) => other !== item && other.statement.sql.includes(name.split('.').pop()!));
  });
  const first = root ?? stuck[0];
  const others = stuck.filter((item) => item !== first);
  const waitedFor = waitsFor(first);
  const statement = first.statement.sql.replace(/\s+/g, ' ');
  const shown = statement.length > 60 ? `${statement.slice(0, 57)}…` : statement;
  const rest = others.length
    ? `; ${others.length} more statement${others.length === 1 ? '' : 's'} never ran: ${others.map((o) => `${o.statement.file.displayPath}:${o.statement.line}`).join(', ')}`
    : '';
  return applyError(first.statement, first.error, side, `\`${shown}\` waited for ${waitedFor}, which no other reference statement created; it was retried after every other statement ran${rest}`);
}

/**
 * The SQL a reference statement runs as on its own. A reference file sent whole runs in one transaction,
 * where SET LOCAL lasts to the end of the file; run statement by statement (no transaction) it would do
 * nothing, so it runs as SET, which also lasts to the end of the file (the session is reset after each file).
 */
function standaloneSql(statement: ParsedStatement): string {
  return statement.type === 'VariableSetStmt' && statement.node.is_local ? statement.sql.replace(/^set\s+local\b/i, 'SET') : statement.sql;
}

export async function tryStatement(db: ScratchDatabase, statement: ParsedStatement): Promise<unknown> {
  try {
    await db.exec(standaloneSql(statement));
    return undefined;
  } catch (error) {
    return error;
  }
}

function isWaiting(error: unknown): boolean {
  const pg = asPostgresError(error);
  return pg !== undefined && WAITING_STATES.has(pg.code ?? '');
}

const RESET_SESSION = 'RESET ALL; RESET ROLE; RESET SESSION AUTHORIZATION';

export async function resetSession(db: ScratchDatabase): Promise<void> {
  await db.exec(RESET_SESSION);
}

/** `file:line:column: SQLSTATE message`, with detail, hint and the offending line under it. */
export function applyError(statement: ParsedStatement, error: unknown, side: string, note?: string): SqlApplyError {
  const pg: PostgresErrorFields | undefined = asPostgresError(error);
  if (!pg) return new SqlApplyError(`${statement.file.displayPath}:${statement.line}:${statement.column}: ${side} side: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  const lines = new LineIndex(statement.file.text);
  const at = lines.position(errorOffset(statement, pg));
  const extra = [pg.detail && `DETAIL: ${pg.detail}`, pg.hint && `HINT: ${pg.hint}`, note].filter(Boolean).join('; ');
  return new SqlApplyError(`${statement.file.displayPath}:${at.line}:${at.column}: ${side} side failed: ERROR ${pg.code}: ${pg.message}${extra ? ` (${extra})` : ''}`, {
    excerpt: lines.excerpt(at),
    cause: error,
  });
}

/** Where in its file a statement's error points: Postgres's error position, else the name the message complains about. */
export function errorOffset(statement: ParsedStatement, pg: PostgresErrorFields): number {
  const position = Number(pg.position);
  // Postgres's error position is 1-based, in characters of the statement text that was sent.
  if (Number.isFinite(position) && position > 0) return statement.offset + position - 1;
  return statement.offset + guessErrorOffset(statement.sql, pg.message);
}

/**
 * PGlite (and some server errors) report no position. Point at the first mention of the name the message
 * complains about (`function lenght(text) does not exist` → `lenght`), else at the statement's start.
 */
export function guessErrorOffset(sql: string, message: string): number {
  const name = /^(?:function|procedure|operator) ([^\s(]+)\(/.exec(message)?.[1] ?? /"([^"]+)"/.exec(message)?.[1];
  if (!name) return 0;
  const bare = name.split('.').pop() ?? name;
  const escaped = bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?<![\\w$])"?${escaped}"?(?![\\w$])`, 'i').exec(sql);
  return match ? match.index : 0;
}
