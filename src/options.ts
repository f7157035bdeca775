import type { Severity } from './report/finding.js';

/** Everything verifySchema needs; the CLI builds this from flags and the config file. */
export interface VerifyOptions {
  /** Reference schema: folders (every .sql below, in path order) or files. */
  reference: string[];
  /** Migrations: a Flyway folder, or files applied in the order given. */
  migrations: string[];
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
  /** Severity per finding code, e.g. { "index-redundant": "error" }. */
  severity?: Record<string, Severity>;
  /** Which findings fail the run: errors (default), warnings too, or never. */
  failOn?: 'error' | 'warning' | 'never';
  /** Where the embedded engine keeps its initialised data directory. */
  cacheDir?: string;
  /** Base for relative paths (default: process.cwd()). */
  cwd?: string;
  /** Progress callback (the CLI shows it on a TTY). */
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { phase: 'start-engine' }
  | { phase: 'apply'; side: 'reference' | 'migrations'; file: string; index: number; total: number }
  | { phase: 'introspect' };
