/**
 * What introspection produces: every object of every kind, keyed by its schema-qualified identity, with the
 * attributes that are compared. Kinds declare their compared fields once (see CatalogKind), so a field can
 * never be compared in one place and forgotten in another.
 */
import type { ColumnPayload } from './kinds/columns.js';
import type { CommentPayload } from './kinds/comments.js';
import type { ConstraintPayload } from './kinds/constraints.js';
import type { ExtensionPayload } from './kinds/extensions.js';
import type { FunctionPayload } from './kinds/functions.js';
import type { IndexPayload } from './kinds/indexes.js';
import type { PrivilegePayload } from './kinds/privileges.js';
import type { TablePayload } from './kinds/tables.js';
import type { TriggerPayload } from './kinds/triggers.js';

/**
 * Every compared kind and what its objects carry besides their compared attributes (read by rules and the
 * diff, never compared). A kind without a payload has `undefined`. Adding a kind is one line here.
 */
export interface KindPayloads {
  schema: undefined;
  extension: ExtensionPayload;
  type: undefined;
  table: TablePayload;
  view: undefined;
  sequence: undefined;
  column: ColumnPayload;
  constraint: ConstraintPayload;
  index: IndexPayload;
  policy: undefined;
  trigger: TriggerPayload;
  function: FunctionPayload;
  comment: CommentPayload;
  privilege: PrivilegePayload;
  publication: undefined;
  'event-trigger': undefined;
}

/** A kind of catalog object (a key of KindPayloads). */
export type CatalogObjectKind = keyof KindPayloads;

/** Kinds of findings about files rather than catalog objects (migration history, reference order, lint). */
export const FILE_KINDS = ['migration', 'reference-file'] as const;

/** What a finding is about: a catalog object of some kind, a migration file or a reference file. */
export type ObjectKind = CatalogObjectKind | (typeof FILE_KINDS)[number];

export interface CatalogObject<K extends CatalogObjectKind = CatalogObjectKind> {
  kind: K;
  /** Schema-qualified identity, e.g. `public.entities.source_url`; unique within its kind. */
  key: string;
  /** The table the object belongs to (`public.entities`), for grouping and for hiding children of a missing table. */
  table?: string;
  /** The object's own name (index name, constraint name, …), for messages and rename detection. */
  name: string;
  /** Compared attributes, already normalised; values are strings, booleans, numbers, string arrays or null. */
  attributes: Record<string, AttributeValue>;
  /** The kind's payload: what rules and the diff read but never compare (e.g. index columns for the redundancy rules). */
  info?: KindPayloads[K];
}

/** The payload of an object of the given kind, typed; undefined for an object of another kind. */
export function payloadOf<K extends CatalogObjectKind>(object: CatalogObject, kind: K): KindPayloads[K] | undefined {
  return object.kind === kind ? (object.info as KindPayloads[K] | undefined) : undefined;
}

export type AttributeValue = string | number | boolean | null | string[];

export interface FieldSpec {
  /** Attribute name in CatalogObject.attributes and in finding details. */
  name: string;
  /** Words used in messages: "nullability", "default", … */
  label: string;
  /** Only compared when an option asks for it (e.g. column order). */
  optIn?: 'strictColumnOrder';
  /** Definition-like text that gets a unified diff in reports. */
  multiline?: boolean;
}

export interface IntrospectionContext {
  /** server_version_num of the engine, so queries can use what that version has. */
  versionNum: number;
}

/** Kinds that are only read and compared when asked for (`--comments`, `--privileges`). */
export type OptInKind = 'comments' | 'privileges';

/** One object kind: its catalog query, how rows become objects, and which fields are compared. */
export interface CatalogKind<K extends CatalogObjectKind = CatalogObjectKind> {
  kind: K;
  fields: FieldSpec[];
  /** SQL with one parameter, $1 = text[] of schema names to include. */
  query(context: IntrospectionContext): string;
  toObjects(rows: Record<string, any>[]): CatalogObject<K>[] | Promise<CatalogObject<K>[]>;
  /** Introspected only when this option is on (costs nothing otherwise). */
  optIn?: OptInKind;
  /**
   * A cheap SQL condition ($1 as in query) that is true whenever the query could return a row: the kind's
   * query is skipped when it is false. It may be true for more (a superset), never for less. Small schemas
   * have none of most kinds, and each query costs a plan and catalog reads in a fresh database.
   */
  present?: string;
  /**
   * What the object is, without its name, for kinds where a rename is worth one finding (indexes,
   * constraints, …): a missing and an extra object of the same table with the same signature are one rename.
   */
  renameSignature?(object: CatalogObject<K>): string;
}

export type Catalog = Map<CatalogObjectKind, Map<string, CatalogObject>>;

/** `public.entities` — quoted only where Postgres would need quotes, like the names Postgres prints. */
export function qualify(...parts: string[]): string {
  return parts.map(quoteIdentIfNeeded).join('.');
}

export function quoteIdentIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `CREATE UNIQUE INDEX items_sku_key ON …` → `CREATE UNIQUE INDEX ON …` (also triggers), as Postgres prints them. */
export function withoutDefinitionName(definition: string): string {
  return definition.replace(/^(CREATE (?:UNIQUE INDEX|INDEX|CONSTRAINT TRIGGER|TRIGGER) )(?:"(?:[^"]|"")*"|[^\s"]+) /, '$1');
}
