import type { Severity } from './report/finding.js';
import type { IgnoreRule } from './report/ignore.js';

/** Everything verifySchema needs; the CLI builds this from flags and the config file. */
export interface VerifyOptions {
  /** Reference schema: folders (every .sql below, in path order) or files. */
  reference: string[];
  /** Migrations: a Flyway folder, or files applied in the order given. */
  migrations: string[];
  /**
   * The migration tool whose layout the migrations follow (flyway, golang-migrate, goose, dbmate, sqitch, …);
   * detected from the files when absent.
   */
  migrationFormat?: string;
  /** Placeholder values (Flyway `${name}`, graphile-migrate `:NAME`); they win over the tool's own config files. */
  placeholders?: Record<string, string>;
  /** Environment for formats that read it (goose ENVSUB, graphile-migrate `!ENV`); default process.env. */
  env?: Record<string, string | undefined>;
  /** Also apply the tool's uncommitted migration (graphile-migrate's current.sql). */
  includeCurrent?: boolean;
  /** Applied to the migrations side before the first migration. */
  baseline?: string[];
  /** Report a different column order as drift. */
  strictColumnOrder?: boolean;
  /** Schemas to compare (default: every schema the SQL creates, except the auth stand-in). */
  schemas?: string[];
  /** Also compare comments on tables, columns, functions, … (opt-in: many projects keep them only in one place). */
  comments?: boolean;
  /** Also compare grants and owners of tables, columns, sequences, functions, schemas and types (opt-in). */
  privileges?: boolean;
  /** Severity per finding code, e.g. { "index-duplicate": "error" }. */
  severity?: Record<string, Severity>;
  /** Which findings fail the run: errors (default), warnings too, or never. */
  failOn?: 'error' | 'warning' | 'never';
  /** Where the embedded engine keeps its initialised data directory, checkpoints and cached catalogs. */
  cacheDir?: string;
  /** false: replay everything, read and write no cached catalog or checkpoint (the engine template is still used). */
  cache?: boolean;
  /** Save migration checkpoints only when replaying the history took longer than this (default 300 ms). */
  checkpointThresholdMs?: number;
  /** Embedded engine: load the larger side into memory from this many statements on (default 3,000). */
  inMemoryFromStatements?: number;
  /** Base for relative paths (default: process.cwd()). */
  cwd?: string;
  /**
   * Postgres server (13 or newer) for the scratch databases, e.g. postgres://user:pw@host:5432/postgres;
   * default: VERIFY_SCHEMA_DATABASE_URL, else the embedded PGlite. Never the application's DATABASE_URL.
   */
  databaseUrl?: string;
  /** Keep the server's scratch databases after the run and report their names (debugging). */
  keepDatabases?: boolean;
  /** Compare this running database (read only) with the reference instead of applying migrations (verifyLive). */
  live?: string;
  /** One-line notices that are not part of the report (kept databases, clean-up that failed). */
  onNotice?: (message: string) => void;
  /** Findings to drop: by kind, object glob and/or finding code (see IgnoreRule). */
  ignore?: IgnoreRule[];
  /** Git revision the migration history is checked against (edited, deleted, renamed, out-of-order migrations). */
  baseRef?: string;
  /** Running in CI: a migration file git does not track is an error instead of a warning. */
  ci?: boolean;
  /**
   * The reference's setup order (see checkReferenceOrder for its forms). Undefined: a setup script found in or
   * next to a reference folder, if any; false: none.
   */
  orderFile?: string | false;
  /** --debug: what the tool read, assumed or decided (the paths taken from the order file, checkpoints evicted). */
  onDebug?: (message: string) => void;
  /** The check also lints the migrations new since baseRef (default true; see lintMigrations for the command). */
  lint?: boolean;
  /** Progress callback (the CLI shows it on a TTY). */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Receives the cache writes (checkpoints, cached catalogs) still going on when the report is ready, so the
   * caller can show the report first. The caller must await the promise (it never rejects) before the process
   * exits. Absent: the run waits for them before it returns.
   */
  onCacheWrites?: (written: Promise<void>) => void;
}

export type ProgressEvent =
  | { phase: 'apply'; side: 'reference' | 'migrations' | 'setup'; file: string; index: number; total: number }
  | { phase: 'introspect' };
