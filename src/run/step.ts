import type { MigrationTracer } from '../apply/apply-statements.js';
import type { Migration, UnappliedMigration } from '../inputs/formats/migration-format.js';
import type { MigrationSource } from '../inputs/resolve-inputs.js';
import type { VerifyOptions } from '../options.js';
import type { ParsedFile } from '../parse/parse-sql.js';
import type { CheckedObject, Finding, Report } from '../report/finding.js';
import type { SideName } from '../report/side-words.js';
import type { Platform } from '../platforms/platform.js';
import type { BuiltSide } from './sides/built-side.js';
import type { ScratchSidePlan } from './sides/scratch-sides.js';

/** The inputs of a run, resolved and parsed once; every step reads them from here, never from raw paths again. */
export interface RunInputs {
  cwd: string;
  /** Reference files (absolute), in apply order. */
  reference: string[];
  /** Baseline files (absolute), applied before the migrations. */
  baseline: string[];
  /** Migration files (absolute), in apply order. */
  migrations: string[];
  /** The migrations paths (folders with every file below them, and files): the history checks look at whole folders. */
  migrationSources: MigrationSource[];
  /** Every file the migration tool reads (absolute), also those verify-schema cannot apply: git must track them all. */
  migrationFiles: string[];
  /** The tool's bookkeeping tables (dbmate's schema_migrations), never part of the findings. */
  toolTables: string[];
  /** Migrations the tool runs that verify-schema cannot apply (goose Go migrations), and where they fall in the list. */
  unapplied: UnappliedMigration[];
  /** The migrations as their format module read them (a file split in parts is several). */
  migrationList: Migration[];
  /** The migration tool whose layout the migrations follow (given or detected). */
  migrationFormat?: string;
  /** The hosting platform that tool's projects run on (Supabase): its objects are made on every scratch side first. */
  platform?: Platform;
  /** Parsed files; `setup` are the migration tool's own files that run after the baseline, before the first migration. */
  parsed: { reference: ParsedFile[]; baseline: ParsedFile[]; setup: ParsedFile[]; migrations: ParsedFile[] };
  /** Notes found while resolving (undo migrations skipped, …). */
  warnings: string[];
  /** Findings about the history the migration format found while reading it (a broken hash chain, …). */
  findings: Finding[];
}

export interface StepContext {
  options: VerifyOptions;
  inputs: RunInputs;
}

export interface CatalogStepContext extends StepContext {
  /** The sides that were built, by name (only those the run asked for). */
  sides: Map<SideName, BuiltSide>;
}

/** What a step adds to the report. */
export interface StepOutput {
  findings: Finding[];
  warnings?: string[];
  /** Objects or files checked, with or without findings (JUnit's test cases). */
  checked?: CheckedObject[];
  /** A section of the report only this step fills (the lint's scope). */
  report?: Pick<Report, 'lint'>;
}

/**
 * What a catalog step attaches to the building of the sides, decided before they are built: a tracer that
 * watches the migrations as they are applied (the lint), and the step's own state for `run`.
 */
export interface StepPreparation {
  migrationsTracer?: MigrationTracer & { firstTraced: number };
  /** More scratch sides this step needs, built with the others (the setup script's database). */
  scratchSides?: ScratchSidePlan[];
  state?: unknown;
}

/**
 * One check of a run. Steps that need only the files (history, reference order) run while the engine starts;
 * steps that need catalogs (diff, redundant indexes) run once every side is built, and their findings are
 * located in the sides' source files. The report lists findings in the order of the run's steps.
 */
export type Step =
  | { name: string; needs: 'inputs'; run(context: StepContext): Promise<StepOutput> | StepOutput }
  | {
      name: string;
      needs: 'catalogs';
      prepare?(context: StepContext): Promise<StepPreparation | undefined>;
      run(context: CatalogStepContext, prepared?: StepPreparation): Promise<StepOutput> | StepOutput;
    };
