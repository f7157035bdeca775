import type { ObjectKind } from '../catalog/catalog-object.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * missing  — in the reference, not produced by the migrations
 * extra    — produced by the migrations, not in the reference
 * changed  — on both sides, different
 * renamed  — on both sides with the same definition under another name (indexes, constraints, triggers, policies)
 * redundant — an index that another index or constraint already covers
 */
export type Change = 'missing' | 'extra' | 'changed' | 'renamed' | 'redundant';

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
   * For `changed`: each differing attribute as `{ reference, migrations }`.
   * For `missing`/`extra`: the object's attributes on the side that has it, under `reference` or `migrations`.
   */
  details: Record<string, unknown>;
  /** Where the reference defines the object. */
  location?: SourceLocation;
  /** Where the migrations define or last change the object. */
  migrationLocation?: SourceLocation;
}

export interface Report {
  version: 1;
  ok: boolean;
  engine: { name: string; version: string };
  inputs: { reference: string[]; baseline: string[]; migrations: string[] };
  findings: Finding[];
  /** Things the user should know that are not drift: skipped files, checks that did not run. */
  warnings: string[];
  summary: { total: number; errors: number; warnings: number; byKind: Record<string, number>; durationMs: number };
}
