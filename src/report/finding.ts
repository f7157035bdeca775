import type { ObjectKind } from '../catalog/catalog-object.js';
import type { SideName } from './side-words.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * missing  — in the reference, not produced by the migrations
 * extra    — produced by the migrations, not in the reference
 * changed  — on both sides, different
 * renamed  — on both sides with the same definition under another name (indexes, constraints, triggers, policies)
 * redundant — an index that another index or constraint already covers
 * hazard   — a migration statement that is unsafe to run on a live database (the lint: src/rules/lint)
 */
export type Change = 'missing' | 'extra' | 'changed' | 'renamed' | 'redundant' | 'hazard' | FileChange;

/**
 * Findings about files rather than database objects (migration history, reference order):
 * edited       — an applied migration whose content changed since the base revision
 * deleted      — an applied migration that is gone
 * out-of-order — a new migration numbered below the newest one at the base
 * duplicate    — two migrations share a version
 * misnamed     — a file in a migrations folder that Flyway would not run
 * untracked    — a migration file git does not track
 * chain-broken — a graphile-migrate committed migration whose --! Previous/--! Hash chain is broken
 * unlisted     — a reference file the order file does not list
 * not-found    — a file the order file lists that does not exist
 * failed       — a reference file the setup script cannot run (the setup side)
 * (a renamed applied migration uses `renamed`)
 */
export type FileChange = 'edited' | 'deleted' | 'out-of-order' | 'duplicate' | 'misnamed' | 'untracked' | 'unlisted' | 'not-found' | 'chain-broken' | 'failed';

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
}

export interface Finding {
  /** Stable identifier of the finding type, e.g. `column-changed`; used by ignore rules and severities. */
  code: string;
  severity: Severity;
  kind: ObjectKind;
  change: Change;
  /** Schema-qualified identity of the object, e.g. `public.entities.source_url`. */
  object: string;
  /** The table the object belongs to, when it belongs to one. */
  table?: string;
  message: string;
  /**
   * For `changed`: each differing attribute as `{ reference, migrations }` (`live` instead of `migrations` when
   * a live database is compared). For `missing`/`extra`: the object's attributes on the side that has it,
   * under that side's name.
   */
  details: Record<string, unknown>;
  /** Where the reference defines the object. */
  location?: SourceLocation;
  /** Where the migrations define or last change the object (a live database has no source to point at). */
  migrationLocation?: SourceLocation;
  /**
   * The side compared with the reference in this finding when it is not the report's own (`setup`: the database
   * the project's setup script builds); `details` are then keyed by it.
   */
  side?: SideName;
}

export type SideSourceInfo = { from: 'catalog-cache' } | { from: 'checkpoint'; replayed: number; of: number } | { from: 'scratch'; replayed: number };

export interface Report {
  version: 1;
  ok: boolean;
  engine: { name: string; version: string };
  /**
   * The sides whose catalogs were read, in order: `["reference", "migrations"]` for the check,
   * `["reference", "live"]` for --live, `["live"]` for redundant-indexes --live.
   */
  sides: SideName[];
  /** `live`: the (password-masked) URL of the database compared instead of migrations (verifyLive). */
  inputs: { reference: string[]; baseline: string[]; migrations: string[]; live?: string; platform?: string; migrationFormat?: string };
  findings: Finding[];
  /** Things the user should know that are not drift: skipped files, checks that did not run. */
  warnings: string[];
  summary: { total: number; errors: number; warnings: number; byKind: Record<string, number>; durationMs: number; ignored?: number };
  /** How each side's catalog was obtained: from the catalog cache, from a checkpoint (replaying only what changed), or from scratch. */
  cache?: { reference: SideSourceInfo; migrations: SideSourceInfo };
  /** Every object and file that was checked, with or without findings (JUnit has one test case per entry). */
  checked?: CheckedObject[];
  /** The migrations the lint looked at (`verify-schema lint`, or the check's lint step), and the base they are new against. */
  lint?: LintSummary;
}

export interface LintSummary {
  /** Display paths of the linted migrations, in apply order. */
  linted: string[];
  /** The git revision they are new or changed against; absent: every given migration was linted. */
  baseRef?: string;
  /** The report is `verify-schema lint`'s (not the check's with a lint step). */
  command?: boolean;
}

export interface CheckedObject {
  kind: ObjectKind;
  object: string;
  table?: string;
  /** A finding about it was dropped by an ignore rule. */
  ignored?: boolean;
}

/** What a check of files (migration history, reference order) adds to the report. */
export interface FileCheckResult {
  findings: Finding[];
  warnings: string[];
  checked: CheckedObject[];
}
