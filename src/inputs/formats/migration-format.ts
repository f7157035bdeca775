import type { Finding } from '../../report/finding.js';

/** Every migration tool whose layout verify-schema reads (a name may be registered before its module lands). */
export const MIGRATION_FORMAT_NAMES = ['flyway', 'golang-migrate', 'goose', 'dbmate', 'graphile-migrate', 'supabase', 'sqitch'] as const;
export type MigrationFormatName = (typeof MIGRATION_FORMAT_NAMES)[number];

/**
 * One migration as its tool would run it. The SQL is what the tool sends, laid out so that every applied
 * character stays on the line it has in the file: parts the tool does not run (a Down section, a header)
 * are blanked to spaces, so findings and errors point at the file's own line numbers.
 */
export interface Migration {
  /** Absolute path of the file the SQL comes from. */
  path: string;
  /** The tool's order key as the user knows it: Flyway version `1.1`, goose/golang-migrate number, a timestamp, a Sqitch change name. */
  version?: string;
  description?: string;
  /** Flyway `R__` migrations: re-run after the versioned ones, never out of order. */
  repeatable?: boolean;
  /**
   * The SQL to apply: the file's text with the parts the tool does not run blanked (newlines kept) and
   * placeholders substituted. Same number of lines as the file; a substituted placeholder may shift columns
   * after it on its line, never lines.
   */
  sql: string;
  /**
   * `true`: the whole file in one transaction. `false`: no transaction, one statement at a time (goose's
   * NO TRANSACTION, dbmate's transaction:false). `'auto'`: in one transaction unless a statement refuses one
   * (CREATE INDEX CONCURRENTLY, …) or the file writes its own BEGIN/COMMIT — Flyway's and golang-migrate's rule.
   */
  transaction: boolean | 'auto';
  /**
   * Statements run in this migration's session before its SQL and undone with it (graphile-migrate's
   * pgSettings as `SET search_path = …`). They belong to no file line, so they are never a finding's location.
   */
  session?: string[];
}

/**
 * A file of the migrations folder the tool knows but that cannot be applied here (a goose migration written in
 * Go). Reported in one line; when a migration after it fails, the error names it as the likely cause.
 */
export interface UnappliedMigration {
  path: string;
  version?: string;
  /** Shown as is: "goose Go migration, not applicable: verify-schema applies SQL only". */
  reason: string;
  /** Index in `migrations` of the first migration that comes after it in the tool's order. */
  before: number;
}

/**
 * Values only the scratch database knows (its name, the role running the migrations). A format writes these
 * tokens where a placeholder stands for them (`${flyway:database}`, `:DATABASE_NAME`); the apply step puts
 * the real value in before sending. They are plain lower-case identifiers, so the SQL still parses and a
 * token inside quotes or a string literal works too; and they keep cache keys the same from run to run.
 */
export const SESSION_TOKEN_PREFIX = 'verify_schema_token_';
export const SESSION_TOKENS = {
  database: `${SESSION_TOKEN_PREFIX}current_database`,
  user: `${SESSION_TOKEN_PREFIX}current_user`,
} as const;

/** What a format module may need besides the folder. */
export interface FormatContext {
  /** Base for relative paths and for display. */
  cwd: string;
  /** Environment (goose ENVSUB, graphile-migrate `!ENV` placeholders, DATABASE_URL). */
  env: Record<string, string | undefined>;
  /** Config `placeholders` (Flyway `${name}`, graphile-migrate `:NAME`): they win over the tool's own config files. */
  placeholders?: Record<string, string>;
  /** `--include-current` (graphile-migrate's current.sql). */
  includeCurrent?: boolean;
}

/** A migrations folder (or the explicit files given) read in the tool's order. */
export interface FormatMigrations {
  migrations: Migration[];
  /** Applied on the migrations side before the first migration (graphile-migrate's afterReset files). */
  setup?: Migration[];
  /** Known to the tool, not applied here; see UnappliedMigration. */
  unapplied?: UnappliedMigration[];
  /** Files in the folder that are not migrations, with why (Flyway undo files; misnamed files are the history check's). */
  skipped?: Array<{ path: string; reason: string; undo?: boolean }>;
  /** One-line notes for the report's warnings (what was read from the tool's config, …). */
  notes?: string[];
  /** Findings about the history itself (a broken graphile-migrate hash chain). */
  findings?: Finding[];
  /** The tool's own reference schema, used when the user gives none (dbmate's db/schema.sql). Absolute paths. */
  defaultReference?: string[];
  /**
   * The tool's bookkeeping tables (`public.schema_migrations`): a dump of the real database has them, the
   * migrations never create them, so they and their columns, indexes, … are left out of the findings.
   */
  toolTables?: string[];
}

/** What the migrations paths hold, as a format module sees it. */
export interface MigrationInput {
  /** Absolute path of a folder given (or of the folder holding the explicit files). */
  folder: string;
  /** Every file below the folder (or the explicit files), absolute; not only `.sql` (goose has `.go`, Sqitch a plan). */
  files: string[];
  /** The user named these files one by one: apply them in the order given. */
  explicit: boolean;
}

/** Why a folder looks like a format, for the report ("3 files with -- +goose Up"); undefined: it does not. */
export type Detection = string | undefined;

/** What was found at a project root without flags or config: paths relative to the root, as a config file holds them. */
export interface ProjectLayout {
  migrations: string[];
  migrationFormat: MigrationFormatName;
  /** Absent when the format brings its own default (dbmate's db/schema.sql) or no common reference path exists. */
  reference?: string[];
  baseline?: string[];
  /** One line for the report: "goose migrations in migrations/ (3 files with -- +goose Up), reference db/schema.sql". */
  description: string;
}

/** One migration tool's layout. One module per tool under src/inputs/formats/, listed in registry.ts. */
export interface MigrationFormat {
  readonly name: MigrationFormatName;
  /** One line for docs and errors: what this format's files look like. */
  readonly looksFor: string;
  /** Does this input look like this tool's? Reads only what it must (names first, then file heads). */
  detect(input: MigrationInput): Promise<Detection>;
  /** The migrations in the tool's order, each with the SQL the tool would run. Bad input throws InputError. */
  read(input: MigrationInput, context: FormatContext): Promise<FormatMigrations>;
  /**
   * The tool's own project layout at a project root, for running with no flags (a sqitch.plan, Supabase's
   * supabase/ folder, a .gmrc). Asked before the common folders (db/migration, migrations/, …) are looked at.
   */
  discoverProject?(root: string): Promise<ProjectLayout | undefined>;
  /** What discoverProject looks for, for the error when nothing is found ("a sqitch.plan", "a supabase/ folder"). */
  readonly projectHint?: string;
}
