import { infoOf } from './fix-statement.js';
import type { Catalog, CatalogObject, ObjectKind } from '../catalog/catalog-object.js';
import { objectId } from '../catalog/dependencies.js';
import { CATALOG_KINDS } from '../catalog/kinds/index.js';
import { pairRenames } from '../diff/detect-renames.js';
import { compareFields, skipped } from '../diff/diff-catalogs.js';
import { DATABASE_WIDE, idOf, type FixStatement, type PlanContext, type UnsupportedChange } from './fix-statement.js';
import { KIND_GENERATORS } from './kinds/index.js';
import { orderStatements } from './order-statements.js';
import { splitKey } from './sql-names.js';
import { SIDE_WORDS } from '../report/side-words.js';

export interface FixPlanOptions {
  /** Plain forms in one transaction instead of CONCURRENTLY index builds and NOT VALID constraints. */
  transactional?: boolean;
  /** Keep statements that can lose data (DROP TABLE/COLUMN, lossy type changes, enum labels dropped). */
  allowDataLoss?: boolean;
  strictColumnOrder?: boolean;
  /** The migration tool's bookkeeping tables (`public.schema_migrations`): never created or dropped. */
  ignoreTables?: string[];
  /** Objects never planned (a platform's own objects, which its stand-in makes on both sides). */
  ignoreObject?: (object: CatalogObject) => boolean;
  /** Only create what is missing (the reference side: objects only the migrations make); nothing is dropped or changed. */
  onlyCreate?: boolean;
}

/** A statement left out of the fix, and why. */
export interface WithheldStatement extends FixStatement {
  reason: string;
}

export interface FixPlan {
  /** In the order they must run. */
  statements: FixStatement[];
  withheld: WithheldStatement[];
  unsupported: UnsupportedChange[];
  /** Some statement cannot run in a transaction block: the whole file runs outside one. */
  outsideTransaction: boolean;
}

type Operation =
  | { op: 'create'; wanted: CatalogObject }
  | { op: 'drop'; current: CatalogObject }
  | { op: 'alter'; wanted: CatalogObject; current: CatalogObject; changed: string[]; statements?: FixStatement[] }
  | { op: 'rename'; wanted: CatalogObject; current: CatalogObject }
  | { op: 'replace'; wanted: CatalogObject; current: CatalogObject };

/** Kinds whose objects contain others (their key is the `table` of their parts). */
const CONTAINERS = new Set<ObjectKind>(['table', 'view']);

/**
 * Plans the migration that turns the migrations' catalog into the reference's: which objects to create,
 * drop, change or rename (the same pairing the diff uses, renames included), each turned into SQL by its
 * kind's generator, then ordered by the dependencies Postgres recorded (see orderStatements). An object that
 * can only change by being dropped and created again takes everything that depends on it along.
 * Statements that can lose data are withheld unless allowed, with whatever can only run after them.
 */
export function planFix(reference: Catalog, migrations: Catalog, options: FixPlanOptions = {}): FixPlan {
  const ctx: PlanContext = { reference, migrations, online: !options.transactional, created: new Set(), unsupported: [], allowDataLoss: options.allowDataLoss ?? false };
  const operations = new Map<string, Operation>();

  const toolTables = options.ignoreTables ?? [];
  const toolTable = (o: CatalogObject) => toolTables.some((t) => o.key === t || o.table === t) || (options.ignoreObject?.(o) ?? false);
  for (const kind of CATALOG_KINDS) {
    const ref = withoutToolTables(reference.get(kind.kind), toolTable);
    const mig = withoutToolTables(migrations.get(kind.kind), toolTable);
    if (!ref && !mig) continue; // an opt-in kind that was not read
    const fields = kind.fields.filter((f) => !f.optIn || (f.optIn === 'strictColumnOrder' && options.strictColumnOrder));
    const missing: CatalogObject[] = [];
    const extra: CatalogObject[] = [];
    for (const [key, wanted] of ref ?? []) {
      const current = mig?.get(key);
      // An index behind a constraint comes with the constraint, a partition's inherited column with the
      // partition; what such a column sets differently from its partitioned table is still compared.
      if (!current) {
        if (!skipped(kind, wanted)) missing.push(wanted);
      } else if (kind.kind === 'index' && Boolean(infoOf(wanted)?.constraint) !== Boolean(infoOf(current)?.constraint)) {
        // A constraint's index on one side, a plain index of the same name on the other: the plain index is
        // dropped (the constraint's own index then takes the name) or created (once the constraint that held
        // the name is dropped); the constraint itself is planned as a constraint.
        if (infoOf(wanted)?.constraint) operations.set(idOf(current), { op: 'drop', current });
        else operations.set(idOf(wanted), { op: 'create', wanted });
      } else if (!(kind.kind === 'index' && infoOf(wanted)?.constraint)) {
        const changed = Object.keys(compareFields(fields, wanted, current, SIDE_WORDS.migrations));
        if (changed.length) operations.set(idOf(wanted), { op: 'alter', wanted, current, changed });
      }
    }
    for (const [key, current] of mig ?? []) if (!ref?.has(key) && !skipped(kind, current)) extra.push(current);
    const pairs = pairRenames(kind, missing, extra);
    for (const { reference: wanted, migrations: current } of pairs.renamed) operations.set(idOf(wanted), { op: 'rename', wanted, current });
    for (const wanted of pairs.missing) operations.set(idOf(wanted), { op: 'create', wanted });
    // An extra object may share its id with nothing in the reference only: its key is not there.
    for (const current of pairs.extra) operations.set(idOf(current), { op: 'drop', current });
  }

  if (options.onlyCreate) for (const [id, operation] of operations) if (operation.op !== 'create') operations.delete(id);
  for (const [id, operation] of operations) {
    const generator = KIND_GENERATORS[kindOfId(id)];
    if (operation.op === 'alter' && generator) {
      const result = generator.alter(operation.wanted, operation.current, operation.changed, ctx);
      if (result === 'replace') operations.set(id, { op: 'replace', wanted: operation.wanted, current: operation.current });
      else operation.statements = result;
    }
  }
  replaceDependants(operations, ctx);
  for (const [id, operation] of operations) {
    if ((operation.op === 'create' || operation.op === 'replace') && CONTAINERS.has(kindOfId(id))) ctx.created.add(operation.wanted.key);
  }

  const dropped = new Set([...operations].filter(([, o]) => o.op === 'drop' || o.op === 'replace').map(([id]) => id));
  const statements: FixStatement[] = [];
  for (const [id, operation] of operations) {
    const generator = KIND_GENERATORS[kindOfId(id)];
    if (!generator) {
      const object = 'wanted' in operation ? operation.wanted : operation.current;
      ctx.unsupported.push({ kind: object.kind, object: object.key, reason: `no SQL generator for ${object.kind} objects yet` });
      continue;
    }
    const withNeeds = (list: FixStatement[], object: CatalogObject) => list.map((s) => ({ ...s, needs: [...new Set([...(s.needs ?? []), ...implicitNeeds(object)])] }));
    switch (operation.op) {
      case 'create':
        // A new table's columns are written in its CREATE TABLE.
        if (operation.wanted.kind === 'column' && ctx.created.has(operation.wanted.table!)) break;
        statements.push(...withNeeds(generator.create(operation.wanted, ctx), operation.wanted));
        break;
      case 'drop':
        // Dropped with what contains it (a table's columns, indexes, policies; an object's comment and grants).
        if (!goesWith(operation.current, dropped)) statements.push(...generator.drop(operation.current, ctx));
        break;
      case 'rename':
        statements.push(...withNeeds(generator.rename!(operation.wanted, operation.current, ctx), operation.wanted));
        break;
      case 'alter':
        statements.push(...withNeeds(operation.statements ?? [], operation.wanted));
        break;
      case 'replace': {
        // A rebuilt table's columns are written in its CREATE TABLE and go with the old table.
        if (operation.wanted.kind === 'column' && ctx.created.has(operation.wanted.table!)) break;
        if (generator.replace) {
          statements.push(...withNeeds(generator.replace(operation.wanted, operation.current, ctx), operation.wanted));
          break;
        }
        if (!goesWith(operation.current, dropped)) {
          const drops = generator.drop(operation.current, ctx);
          // A generated column recomputes its values: dropping it to change the expression loses nothing.
          const derived = operation.current.kind === 'column' && operation.current.attributes.generated !== null;
          statements.push(...drops.map((s) => (derived ? { ...s, dataLoss: undefined } : s)));
        }
        statements.push(...withNeeds(generator.create(operation.wanted, ctx), operation.wanted));
        break;
      }
    }
  }
  const ordered = orderStatements(statements, migrations);
  const { kept, withheld } = withhold(ordered.statements, ordered.after, options.allowDataLoss ?? false);
  return { statements: kept, withheld, unsupported: ctx.unsupported, outsideTransaction: kept.some((s) => s.concurrent) };
}

function withoutToolTables(objects: Map<string, CatalogObject> | undefined, toolTable: (o: CatalogObject) => boolean): Map<string, CatalogObject> | undefined {
  return objects && new Map([...objects].filter(([, o]) => !toolTable(o)));
}

function kindOfId(id: string): ObjectKind {
  return id.slice(0, id.indexOf(':')) as ObjectKind;
}

/** What any statement about an object needs besides what its generator names: its schema, its table, what pg_depend says. */
function implicitNeeds(object: CatalogObject): string[] {
  const needs = [...((infoOf(object)?.dependsOn as string[] | undefined) ?? [])];
  if (object.table && object.table !== object.key) needs.push(objectId('table', object.table), objectId('view', object.table));
  if (!DATABASE_WIDE.has(object.kind)) needs.push(objectId('schema', splitKey(object.key).parts[0]));
  return needs;
}

/** The object is dropped anyway by dropping the table, view or object it belongs to. */
function goesWith(object: CatalogObject, dropped: Set<string>): boolean {
  if (object.table && object.table !== object.key && (dropped.has(objectId('table', object.table)) || dropped.has(objectId('view', object.table)))) return true;
  const target = infoOf(object)?.target as { kind: string; key: string } | undefined;
  return target !== undefined && dropped.has(objectId(target.kind, target.key));
}

/**
 * An object dropped and created again (a changed view, a function whose return type changed, a constraint)
 * takes along everything on the migrations side that depends on it (pg_depend) or belongs to it (a view's
 * indexes and triggers, comments, grants): each is dropped and created again from the reference too.
 * A column whose type or collation changes does the same for the views, policies and triggers that use it
 * (Postgres refuses ALTER COLUMN … TYPE under them; indexes and constraints it rebuilds itself).
 */
function replaceDependants(operations: Map<string, Operation>, ctx: PlanContext): void {
  const dependants = new Map<string, CatalogObject[]>();
  const add = (id: string, object: CatalogObject) => dependants.set(id, [...(dependants.get(id) ?? []), object]);
  for (const objects of ctx.migrations.values()) {
    for (const object of objects.values()) {
      for (const id of (infoOf(object)?.dependsOn as string[] | undefined) ?? []) add(id, object);
      if (object.table && object.table !== object.key) add(objectId(CONTAINERS.has(object.kind) ? 'table' : lookupContainerKind(object.table, ctx), object.table), object);
      const target = infoOf(object)?.target as { kind: string; key: string } | undefined;
      if (target) add(objectId(target.kind, target.key), object);
    }
  }
  const queue: Array<{ id: string; only?: Set<string> }> = [];
  for (const [id, operation] of operations) {
    if (operation.op === 'replace') queue.push({ id });
    if (operation.op === 'alter' && operation.current.kind === 'column' && (operation.changed.includes('type') || operation.changed.includes('collation'))) {
      queue.push({ id, only: new Set(['view', 'policy', 'trigger']) });
    }
  }
  // A rebuilt table keeps the sequences its columns own (the rebuild moves their owner): not recreated.
  const rebuilt = new Set([...operations].filter(([id, o]) => o.op === 'replace' && KIND_GENERATORS[kindOfId(id)]?.replace).map(([, o]) => (o as { current: CatalogObject }).current.key));
  while (queue.length) {
    const { id, only } = queue.shift()!;
    for (const current of dependants.get(id) ?? []) {
      if (only && !only.has(current.kind)) continue;
      if (current.kind === 'sequence' && rebuilt.has(String(ctx.migrations.get('column')?.get(String(current.attributes.ownedBy))?.table))) continue;
      const dependantId = idOf(current);
      const existing = operations.get(dependantId);
      if (existing && existing.op !== 'alter') continue;
      const wanted = ctx.reference.get(current.kind)?.get(current.key);
      if (!wanted || skipped(CATALOG_KINDS.find((k) => k.kind === current.kind)!, current)) continue;
      operations.set(dependantId, { op: 'replace', wanted, current });
      queue.push({ id: dependantId });
    }
  }
}

function lookupContainerKind(key: string, ctx: PlanContext): 'table' | 'view' {
  return ctx.migrations.get('view')?.has(key) ? 'view' : 'table';
}

/**
 * Statements that can lose data are withheld unless allowed, and so is every statement that can only run
 * after a withheld one (dropping a schema whose table's drop was withheld).
 */
function withhold(statements: FixStatement[], after: Map<FixStatement, FixStatement[]>, allowDataLoss: boolean): { kept: FixStatement[]; withheld: WithheldStatement[] } {
  const reasons = new Map<FixStatement, string>();
  for (const s of statements) {
    if (s.dataLoss && !allowDataLoss) reasons.set(s, s.dataLoss);
    else {
      const blocker = (after.get(s) ?? []).find((p) => reasons.has(p));
      if (blocker) reasons.set(s, `can only run after a withheld statement (${blocker.kind} ${blocker.object})`);
    }
  }
  return {
    kept: statements.filter((s) => !reasons.has(s)),
    withheld: statements.filter((s) => reasons.has(s)).map((s) => ({ ...s, reason: reasons.get(s)! })),
  };
}
