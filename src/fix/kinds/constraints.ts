import { infoOf } from '../fix-statement.js';
import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { idOf, lookup, statement, type FixStatement, type KindGenerator, type PlanContext } from '../fix-statement.js';
import { ident, sqlName } from '../sql-names.js';
import { concurrentIndexSql } from './indexes.js';

function isPartitioned(table: string, ctx: PlanContext): boolean {
  return Boolean(lookup(ctx.reference, 'table', table)?.attributes.partitionKey ?? lookup(ctx.migrations, 'table', table)?.attributes.partitionKey);
}

/** The unique index behind a primary key or unique constraint, as the reference has it. */
function backingIndex(constraint: CatalogObject, ctx: PlanContext): CatalogObject | undefined {
  return [...(ctx.reference.get('index')?.values() ?? [])].find((i) => i.table === constraint.table && infoOf(i)?.constraint === constraint.name);
}

export const constraintGenerator: KindGenerator = {
  kind: 'constraint',
  /**
   * On a table that already has rows, the online forms: a foreign key or check is added NOT VALID (no scan
   * under the strong lock) and validated after; a primary key or unique constraint is added on a unique
   * index built CONCURRENTLY. A new table, a partitioned one (neither form exists there) and
   * --transactional get the plain ADD CONSTRAINT.
   */
  create(constraint, ctx) {
    const table = sqlName(constraint.table!);
    const name = ident(constraint.name);
    const definition = String(constraint.attributes.definition);
    const needs = [objectId('table', constraint.table!)];
    const add = (def: string, extra: Partial<FixStatement> = {}) => statement(constraint, 'create', `ALTER TABLE ${table} ADD CONSTRAINT ${name} ${def}`, { needs, ...extra });
    const plain = !ctx.online || ctx.created.has(constraint.table!) || isPartitioned(constraint.table!, ctx);
    if (plain) return [add(definition)];
    const type = constraint.attributes.type;
    if ((type === 'FOREIGN KEY' || type === 'CHECK') && !/\bNOT VALID$/.test(definition)) {
      return [add(`${definition} NOT VALID`), statement(constraint, 'alter', `ALTER TABLE ${table} VALIDATE CONSTRAINT ${name}`)];
    }
    if (type === 'PRIMARY KEY' || type === 'UNIQUE') {
      const index = backingIndex(constraint, ctx);
      if (index) {
        const deferrable = [/\bDEFERRABLE\b/.test(definition) && !/NOT DEFERRABLE/.test(definition) ? ' DEFERRABLE' : '', /INITIALLY DEFERRED/.test(definition) ? ' INITIALLY DEFERRED' : ''].join('');
        // The index is built under the constraint's name, so it keeps that name when the constraint adopts it.
        return [
          // Provides the index's name, so dropping another index of that name comes first.
          statement(constraint, 'create', concurrentIndexSql(String(index.attributes.definition), constraint.name), { needs, concurrent: true, provides: [objectId('index', index.key)] }),
          add(`${type} USING INDEX ${name}${deferrable}`),
        ];
      }
    }
    return [add(definition)];
  },
  drop(constraint, ctx) {
    // Dropping a primary key, unique or exclusion constraint drops its index too, freeing the index's name.
    const index = [...(ctx.migrations.get('index')?.values() ?? [])].find((i) => i.table === constraint.table && infoOf(i)?.constraint === constraint.name);
    return [statement(constraint, 'drop', `ALTER TABLE ${sqlName(constraint.table!)} DROP CONSTRAINT ${ident(constraint.name)}`, index ? { frees: [idOf(constraint), objectId('index', index.key)] } : {})];
  },
  alter() {
    // A constraint's definition cannot be altered in place (only a foreign key's deferrability): drop and add.
    return 'replace';
  },
  rename(wanted, current) {
    return [statement(current, 'rename', `ALTER TABLE ${sqlName(current.table!)} RENAME CONSTRAINT ${ident(current.name)} TO ${ident(wanted.name)}`, { provides: [objectId('constraint', wanted.key)] })];
  },
};
