import type { CatalogObjectKind } from '../catalog/catalog-object.js';
import { infoOf } from './fix-statement.js';
import type { Catalog } from '../catalog/catalog-object.js';
import { objectId } from '../catalog/dependencies.js';
import { DATABASE_WIDE, type FixStatement } from './fix-statement.js';
import { splitKey } from './sql-names.js';

/** Among statements free to run, drops go first (they free names), then renames, then the rest; ties keep generation order. */
const PRIORITY: Record<FixStatement['action'], number> = { drop: 0, rename: 1, create: 2, alter: 2 };

function idOfStatement(s: FixStatement): string {
  return objectId(s.kind, s.object);
}

function provides(s: FixStatement): string[] {
  return s.provides ?? (s.action === 'drop' ? [] : [idOfStatement(s)]);
}

function frees(s: FixStatement): string[] {
  return s.frees ?? (s.action === 'drop' ? [idOfStatement(s)] : []);
}

/**
 * Orders a plan's statements by a dependency graph, not by a fixed order of kinds:
 * - a statement runs after every statement that provides what it needs (its pg_depend dependencies on the
 *   reference side, its table, its schema);
 * - statements about one object keep the order their generator gave them (drop before create again,
 *   NOT VALID before VALIDATE);
 * - dropping an object comes before anything that provides an object of the same id (a name freed for a
 *   rename or a new definition), and after dropping whatever depends on it on the migrations side (pg_depend:
 *   a view before its table, a foreign key before the referenced key, a table before its schema) and after
 *   changing whatever still uses it (a policy moved off a function that is dropped).
 * Returns the order and, per statement, the statements it must follow (the withholding rules follow them).
 */
export function orderStatements(statements: FixStatement[], migrations: Catalog): { statements: FixStatement[]; after: Map<FixStatement, FixStatement[]> } {
  const edges = new Map<FixStatement, Set<FixStatement>>(statements.map((s) => [s, new Set()]));
  const edge = (from: FixStatement, to: FixStatement) => from !== to && edges.get(to)!.add(from);
  const providers = new Map<string, FixStatement[]>();
  const drops = new Map<string, FixStatement[]>();
  const byObject = new Map<string, FixStatement[]>();
  for (const s of statements) {
    for (const id of provides(s)) providers.set(id, [...(providers.get(id) ?? []), s]);
    for (const id of frees(s)) drops.set(id, [...(drops.get(id) ?? []), s]);
    byObject.set(idOfStatement(s), [...(byObject.get(idOfStatement(s)) ?? []), s]);
  }
  for (const list of byObject.values()) for (let i = 1; i < list.length; i++) edge(list[i - 1], list[i]);
  for (const s of statements) {
    if (s.action !== 'drop') for (const need of s.needs ?? []) for (const p of providers.get(need) ?? []) edge(p, s);
    for (const id of provides(s)) for (const d of drops.get(id) ?? []) edge(d, s);
  }
  // The migrations side's dependencies order the drops, and the changes that must happen before a drop.
  const purelyDropped = new Set([...drops.keys()].filter((id) => !providers.has(id)));
  for (const s of statements) {
    const current = migrations.get(s.kind as CatalogObjectKind)?.get(s.object);
    if (!current) continue;
    const uses = new Set<string>();
    for (const id of (infoOf(current)?.dependsOn as string[] | undefined) ?? []) {
      uses.add(id);
      const container = containerOf(id, migrations);
      if (container) uses.add(container);
    }
    if (current.table && current.table !== current.key) uses.add(objectId('table', current.table)).add(objectId('view', current.table));
    if (!DATABASE_WIDE.has(s.kind)) uses.add(objectId('schema', splitKey(s.object).parts[0]));
    for (const id of uses) {
      for (const d of drops.get(id) ?? []) {
        if (s.action === 'drop' || ((s.action === 'alter' || s.action === 'rename') && purelyDropped.has(id))) edge(s, d);
      }
    }
  }
  // An event trigger's phase: before (after) every statement outside that phase.
  for (const s of statements) {
    if (!s.phase) continue;
    for (const other of statements) if (other.phase !== s.phase) s.phase === 'first' ? edge(s, other) : edge(other, s);
  }
  return { statements: topologicalOrder(statements, edges), after: new Map([...edges].map(([s, from]) => [s, [...from]])) };
}

/** `column:public.t.c` or `constraint:public.t.k` → `table:public.t` (dropping the table drops them). */
function containerOf(id: string, catalog: Catalog): string | undefined {
  const at = id.indexOf(':');
  const kind = id.slice(0, at) as 'column' | 'constraint' | 'index' | 'trigger' | 'policy';
  if (!['column', 'constraint', 'index', 'trigger', 'policy'].includes(kind)) return undefined;
  const table = catalog.get(kind)?.get(id.slice(at + 1))?.table;
  return table ? objectId(catalog.get('view')?.has(table) ? 'view' : 'table', table) : undefined;
}

/** Kahn's algorithm, choosing by priority then generation order; a cycle is broken at its first statement. */
function topologicalOrder(statements: FixStatement[], edges: Map<FixStatement, Set<FixStatement>>): FixStatement[] {
  const index = new Map(statements.map((s, i) => [s, i]));
  const remaining = new Map([...edges].map(([s, from]) => [s, new Set(from)]));
  const rank = (s: FixStatement) => PRIORITY[s.action] * statements.length + index.get(s)!;
  const out: FixStatement[] = [];
  while (remaining.size) {
    let next: FixStatement | undefined;
    for (const [s, from] of remaining) if (from.size === 0 && (!next || rank(s) < rank(next))) next = s;
    if (!next) for (const s of remaining.keys()) if (!next || rank(s) < rank(next)) next = s;
    remaining.delete(next!);
    for (const from of remaining.values()) from.delete(next!);
    out.push(next!);
  }
  return out;
}
