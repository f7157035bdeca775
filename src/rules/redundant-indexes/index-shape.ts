import { payloadOf, type Catalog, type CatalogObject } from '../../catalog/catalog-object.js';

/**
 * The parts of an index the redundancy rules compare, from the index kind's payload (IndexPayload). Every part is text
 * Postgres printed (pg_get_indexdef per column, pg_get_expr, opclass and collation names), never raw
 * pg_node_tree, which embeds source positions and would make equal expressions look different.
 */
export interface IndexShape {
  /** Schema-qualified index name, as in the catalog (`public.idx_users_email`). */
  key: string;
  /** Schema-qualified table name. */
  table: string;
  name: string;
  /** pg_get_indexdef of the whole index, for reports. */
  definition: string;
  method: string;
  unique: boolean;
  primary: boolean;
  exclusion: boolean;
  nullsNotDistinct: boolean;
  /** False after a failed CREATE INDEX CONCURRENTLY: the planner ignores the index, so it covers nothing. */
  valid: boolean;
  /** False for a DEFERRABLE constraint's index: it cannot prove uniqueness at statement time. */
  immediate: boolean;
  keyColumns: string[];
  includeColumns: string[];
  opclasses: string[];
  collations: string[];
  /** indoption per key column: 1 = DESC, 2 = NULLS FIRST. */
  options: number[];
  predicate: string | null;
  /** Name of the primary key, unique or exclusion constraint the index backs. */
  constraint: string | null;
  exclusionOperators: string[];
  /** Foreign keys whose referenced key this index provides (they depend on it). */
  foreignKeys: string[];
  reloptions: string[];
  /** Creation order within one database (the index's oid). */
  createdOrder: number;
}

export function indexShapes(catalog: Catalog): IndexShape[] {
  return [...(catalog.get('index')?.values() ?? [])].map(toShape);
}

function toShape(o: CatalogObject): IndexShape {
  const info = payloadOf(o, 'index');
  return {
    key: o.key,
    table: o.table ?? '',
    name: o.name,
    definition: String(o.attributes.definition ?? ''),
    method: info?.method ?? '',
    unique: info?.unique ?? false,
    primary: info?.primary ?? false,
    exclusion: info?.exclusion ?? false,
    nullsNotDistinct: info?.nullsNotDistinct ?? false,
    valid: info?.valid !== false,
    immediate: info?.immediate !== false,
    keyColumns: info?.keyColumns ?? [],
    includeColumns: info?.includeColumns ?? [],
    opclasses: info?.opclasses ?? [],
    collations: info?.collations ?? [],
    options: info?.options ?? [],
    predicate: info?.predicate ?? null,
    constraint: info?.constraint ?? null,
    exclusionOperators: info?.exclusionOperators ?? [],
    foreignKeys: info?.foreignKeys ?? [],
    reloptions: info?.reloptions ?? [],
    createdOrder: Number(info?.createdOrder ?? 0),
  };
}

/** Whether dropping the index would drop a guarantee (uniqueness, a primary key, an exclusion). */
export function enforces(x: IndexShape): boolean {
  return x.unique || x.primary || x.exclusion;
}

/** The index behind a PRIMARY KEY or UNIQUE constraint (not an exclusion constraint, not a bare unique index). */
export function backsKeyConstraint(y: IndexShape): boolean {
  return y.constraint !== null && (y.primary || y.unique) && !y.exclusion;
}

/** Key column i of x is the same column or expression, opclass, collation and sort order as key i of y. */
function sameKeyPart(x: IndexShape, y: IndexShape, i: number): boolean {
  return x.keyColumns[i] === y.keyColumns[i] && x.opclasses[i] === y.opclasses[i] && x.collations[i] === y.collations[i] && x.options[i] === y.options[i];
}

/** x's key columns are a leading prefix of y's (equal counts as a prefix). INCLUDE columns are not keys. */
export function keysArePrefix(x: IndexShape, y: IndexShape): boolean {
  return x.keyColumns.length <= y.keyColumns.length && x.keyColumns.every((_, i) => sameKeyPart(x, y, i));
}

export function sameKeys(x: IndexShape, y: IndexShape): boolean {
  return x.keyColumns.length === y.keyColumns.length && keysArePrefix(x, y);
}

/** Every column x returns in an index-only scan (its INCLUDE list), y returns too. */
export function includeCovered(x: IndexShape, y: IndexShape): boolean {
  const available = new Set([...y.keyColumns, ...y.includeColumns]);
  return x.includeColumns.every((c) => available.has(c));
}

/** Partial indexes only cover each other with the same predicate: Postgres would not prove one implies another for us. */
export function samePredicate(x: IndexShape, y: IndexShape): boolean {
  return x.predicate === y.predicate;
}

/**
 * Dropping x loses nothing y does not also guarantee. Nothing to lose when x enforces nothing; a primary key
 * is never implied by another index; uniqueness and exclusion only by the same kind of guarantee, at least as
 * strict (immediate, NULLS NOT DISTINCT, same exclusion operators). Key columns are compared by the callers.
 */
export function enforcementImplied(x: IndexShape, y: IndexShape): boolean {
  if (!enforces(x)) return true;
  if (x.primary) return false;
  if (x.immediate && !y.immediate) return false;
  if (x.exclusion) return y.exclusion && sameList(x.exclusionOperators, y.exclusionOperators);
  return y.unique && !y.exclusion && (!x.nullsNotDistinct || y.nullsNotDistinct || y.primary);
}

/**
 * Same table, method, keys (with opclass, collation and order per key), INCLUDE list and predicate. Storage
 * options only matter for methods whose options change what the index is good for (BRIN's pages_per_range,
 * GIN's fastupdate, …); a btree's fillfactor does not.
 */
export function sameDefinition(x: IndexShape, y: IndexShape): boolean {
  return (
    x.table === y.table &&
    x.method === y.method &&
    sameKeys(x, y) &&
    sameList(x.includeColumns, y.includeColumns) &&
    samePredicate(x, y) &&
    (x.method === 'btree' || sameList(x.reloptions, y.reloptions))
  );
}

/**
 * A btree y serves every query x serves: x's keys lead y's, x's INCLUDE columns are in y, same predicate, and
 * dropping x loses no guarantee — an index that enforces something is only covered by one with the same keys.
 */
export function btreeCovers(x: IndexShape, y: IndexShape): boolean {
  return (
    x.table === y.table &&
    x.method === 'btree' &&
    y.method === 'btree' &&
    keysArePrefix(x, y) &&
    includeCovered(x, y) &&
    samePredicate(x, y) &&
    (!enforces(x) || (sameKeys(x, y) && enforcementImplied(x, y)))
  );
}

/**
 * Which of two equivalent indexes to keep, most worth keeping first: the primary key, an index backing a
 * constraint (dropping it means dropping the constraint), one foreign keys depend on, the older one, the
 * shorter name, then by name so the choice never depends on catalog order.
 */
export function keepOrder(a: IndexShape, b: IndexShape): number {
  return (
    Number(b.primary) - Number(a.primary) ||
    Number(b.constraint !== null) - Number(a.constraint !== null) ||
    Number(b.foreignKeys.length > 0) - Number(a.foreignKeys.length > 0) ||
    a.createdOrder - b.createdOrder ||
    a.name.length - b.name.length ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * Key columns for messages, with what makes them differ from a plain column: `(name COLLATE "C" text_pattern_ops
 * DESC)`. Default opclasses and the database's default collation are left out, as Postgres leaves them out.
 */
export function keyList(x: IndexShape): string {
  return `(${x.keyColumns.map((column, i) => [column, collationWords(x.collations[i]), opclassWords(x.opclasses[i]), orderWords(x.options[i])].filter(Boolean).join(' ')).join(', ')})`;
}

function collationWords(collation: string | undefined): string {
  return collation && collation !== 'default' ? `COLLATE "${collation}"` : '';
}

function opclassWords(opclass: string | undefined): string {
  return opclass && !opclass.endsWith(':default') ? opclass : '';
}

function orderWords(option: number | undefined): string {
  const desc = ((option ?? 0) & 1) !== 0;
  const nullsFirst = ((option ?? 0) & 2) !== 0;
  if (desc) return nullsFirst ? 'DESC' : 'DESC NULLS LAST';
  return nullsFirst ? 'NULLS FIRST' : '';
}

function sameList<T>(a: T[], b: T[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
