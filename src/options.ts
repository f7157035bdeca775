import type { Severity } from './report/finding.js';
import type { IgnoreRule } from './report/ignore.js';

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
  /** Severity per finding code, e.g. { "index-redundant": "error" }. */
  severity?: Record<string, Severity>;
  /** Which findings fail the run: errors (default), warnings too, or never. */
  failOn?: 'error' | 'warning' | 'never';
  /** Where the embedded engine keeps its initialised data directory. */
  cacheDir?: string;
  /** Base for relative paths (default: process.cwd()). */
  cwd?: string;
  /** Findings to drop: by kind, object glob and/or finding code (see IgnoreRule). */
  ignore?: IgnoreRule[];
  /** A Postgres server to create the scratch databases on, instead of the embedded engine. */
  databaseUrl?: string;
  /** Git revision the migration history is checked against (edited, deleted, renamed, out-of-order migrations). */
  baseRef?: string;
  /** Running in CI: a migration file git does not track is an error instead of a warning. */
  ci?: boolean;
  /** File listing the reference files in execution order (one path per line, relative to the order file). */
  orderFile?: string;
  /** Progress callback (the CLI shows it on a TTY). */
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { phase: 'start-engine' }
  | { phase: 'apply'; side: 'reference' | 'migrations'; file: string; index: number; total: number }
  | { phase: 'introspect' };
