import type { Catalog } from '../../catalog/catalog-object.js';
import type { ScratchDatabase } from '../../engine/scratch-database.js';
import type { ParsedFile, ParsedStatement } from '../../parse/parse-sql.js';
import type { Severity } from '../../report/finding.js';

/** A relation lock: the relation's schema-qualified name and the lock mode (`AccessExclusiveLock`, …). */
export interface RelationLock {
  relation: string;
  mode: string;
}

/** A lock a statement took, with what the rules need to know about its relation. */
export interface ObservedLock extends RelationLock {
  /** pg_class.relkind of the relation; undefined when not traced. */
  kind?: string;
  preExisting: boolean;
}

/** A relation a statement names, as it was just before the statement ran. */
export interface NamedRelation {
  /** Schema-qualified name, as the catalog keys spell it. */
  name: string;
  /** pg_class.relkind ('r' table, 'p' partitioned table, 'i' index, 'm' materialized view, …); undefined when unknown (static). */
  kind?: string;
  /**
   * It existed before the migration began. Objects created by the same migration are exempt from the
   * rules about live tables: nobody else can be using them yet.
   */
  preExisting: boolean;
}

/** What one statement of a linted migration did. */
export interface StatementFacts {
  statement: ParsedStatement;
  file: ParsedFile;
  /** Position of the statement in its file. */
  index: number;
  /** Locks and rewrites were observed in the database (false: guessed from the statement's text). */
  traced: boolean;
  /** Look up a relation the statement names (see namedRelations), resolved before the statement ran. */
  relation(written: WrittenName): NamedRelation | undefined;
  /** Locks the statement took that the migration did not hold yet (traced), or the locks it is known to take (static). */
  locks: ObservedLock[];
  /**
   * Every lock the migration holds once the statement ran, the strongest per relation (traced): what blocks
   * others while the statement runs, also when an earlier statement took it. Static: as `locks`.
   */
  held: ObservedLock[];
  /** Pre-existing tables whose storage the statement replaced (relfilenode changed); static: empty. */
  rewritten: string[];
  /** The scratch database in the migration's transaction right after the statement, when traced (catalog reads only). */
  db?: ScratchDatabase;
  /** server_version_num of the engine. */
  versionNum: number;
}

/** A relation name as the statement writes it (a RangeVar or a qualified name list). */
export interface WrittenName {
  schema?: string;
  name: string;
}

/** One hazard a rule found, before it becomes a Finding. */
export interface LintHit {
  statement: ParsedStatement;
  /** What the hazard concerns: a table, index, function, constraint or policy, schema-qualified. */
  object: string;
  message: string;
  /** The safe alternative, in one or two sentences. */
  hint: string;
  locks: RelationLock[];
  rewrite: boolean;
  traced: boolean;
}

/** The state after the last migration, for rules about what the migrations leave behind. */
export interface FinalState {
  catalog: Catalog;
  /** Every migration file (baseline included), in apply order. */
  files: ParsedFile[];
  /** The linted files. */
  linted: Set<ParsedFile>;
  /** Where an object was created (or last changed) by the migrations; only statements in linted files. */
  locate(kind: 'constraint' | 'policy', key: string): ParsedStatement | undefined;
}

/**
 * One lint rule. A rule may look at each statement (after it ran: `check`, with `prepare` to read the
 * catalog just before it ran) and/or at the final state (`finish`). Rules are stateful for one lint run: the
 * registry makes a fresh instance per run.
 */
export interface LintRuleInstance {
  /** Reads what the rule needs to know from just before the statement ran; returns it for `check`. Traced statements only. */
  prepare?(statement: ParsedStatement, db: ScratchDatabase, versionNum: number): Promise<unknown>;
  check?(facts: StatementFacts, prepared: unknown): LintHit[] | Promise<LintHit[]>;
  /** Hits recorded for a file that is then rolled back and applied again untraced must be forgotten. */
  forgetFile?(file: ParsedFile): void;
  finish?(state: FinalState): LintHit[];
}

export interface LintRule {
  code: string;
  severity: Severity;
  /** One line: what the rule reports (SARIF rule description, docs index). */
  title: string;
  create(): LintRuleInstance;
}
