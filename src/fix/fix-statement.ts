import type { CatalogObjectKind } from '../catalog/catalog-object.js';
import type { Catalog, CatalogObject, ObjectKind } from '../catalog/catalog-object.js';
import { objectId } from '../catalog/dependencies.js';

/** Kinds whose objects belong to no schema (their key is their name). */
export const DATABASE_WIDE = new Set<ObjectKind>(['schema', 'extension', 'publication', 'event-trigger']);

export type FixAction = 'create' | 'alter' | 'rename' | 'drop';

/** One statement of a fix, with what the ordering and the safety rules need to know about it. */
export interface FixStatement {
  sql: string;
  /** The object it creates, changes, renames or drops. */
  kind: ObjectKind;
  object: string;
  action: FixAction;
  /** Object ids (see objectId) this statement makes available; default: its own object, unless it drops it. */
  provides?: string[];
  /** Object ids whose names it frees; default: a drop's own object (a constraint's drop also frees its index). */
  frees?: string[];
  /** Runs before (first) or after (last) every statement without a phase: an event trigger fires on the fix's own DDL. */
  phase?: 'first' | 'last';
  /** Object ids that must exist (be created, changed or renamed first) before it runs. */
  needs?: string[];
  /** Postgres refuses to run it inside a transaction block (CREATE/DROP INDEX CONCURRENTLY). */
  concurrent?: boolean;
  /** Why it can lose data: such a statement is withheld unless data loss is allowed. */
  dataLoss?: string;
}

/** A change the generator cannot express as SQL: listed, and the proof then shows it as remaining. */
export interface UnsupportedChange {
  kind: ObjectKind;
  object: string;
  reason: string;
}

export interface PlanContext {
  reference: Catalog;
  migrations: Catalog;
  /** Safe online forms: CONCURRENTLY index builds and drops, NOT VALID + VALIDATE constraints. */
  online: boolean;
  /** Tables and views the plan creates (or recreates): their indexes and constraints use the plain forms. */
  created: Set<string>;
  unsupported: UnsupportedChange[];
  /** Changes that can lose data are planned in full (a table rebuilt with its dependants), not only listed. */
  allowDataLoss: boolean;
}

export function statement(object: CatalogObject, action: FixAction, sql: string, extra: Partial<FixStatement> = {}): FixStatement {
  return { sql, kind: object.kind, object: object.key, action, ...extra };
}

export function idOf(object: CatalogObject): string {
  return objectId(object.kind, object.key);
}

/** The object of a kind in a catalog. */
export function lookup(catalog: Catalog, kind: ObjectKind, key: string | undefined): CatalogObject | undefined {
  return key === undefined ? undefined : catalog.get(kind as CatalogObjectKind)?.get(key);
}

/** One kind's SQL generator. */
export interface KindGenerator {
  kind: ObjectKind;
  create(object: CatalogObject, ctx: PlanContext): FixStatement[];
  drop(object: CatalogObject, ctx: PlanContext): FixStatement[];
  /**
   * Statements that turn `current` (migrations) into `wanted` (reference) for the fields that differ, or
   * 'replace' when only dropping and creating it again can (dependants are then recreated too).
   */
  alter(wanted: CatalogObject, current: CatalogObject, changed: string[], ctx: PlanContext): FixStatement[] | 'replace';
  /**
   * Statements that drop `current` and create `wanted` in its place when that is not simply drop then
   * create (a table rebuilt with its rows copied); default: drop, then create.
   */
  replace?(wanted: CatalogObject, current: CatalogObject, ctx: PlanContext): FixStatement[];
  /** Renaming `current` to `wanted`'s name (kinds the diff pairs renames for). */
  rename?(wanted: CatalogObject, current: CatalogObject, ctx: PlanContext): FixStatement[];
}

/** An object's kind payload, read by name: the fix reads fields of several kinds through one path. */
export function infoOf(object: CatalogObject): Record<string, any> | undefined {
  return object.info as Record<string, any> | undefined;
}
