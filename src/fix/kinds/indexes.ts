import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { lookup, statement, type KindGenerator, type PlanContext } from '../fix-statement.js';
import { ident, sqlName } from '../sql-names.js';

/**
 * pg_get_indexdef's own statement with CONCURRENTLY (and, when given, another name) put in after
 * `CREATE [UNIQUE] INDEX`, the one place Postgres prints them: everything else stays as Postgres printed it,
 * names quoted by its quote_ident.
 */
export function concurrentIndexSql(definition: string, name?: string, concurrent = true): string {
  const match = /^(CREATE (?:UNIQUE )?INDEX )((?:"(?:[^"]|"")*"|[^\s"]+) ON )/.exec(definition);
  if (!match) throw new Error(`unexpected index definition: ${definition}`);
  const renamed = name === undefined ? match[2] : `${ident(name)} ON `;
  return `${match[1]}${concurrent ? 'CONCURRENTLY ' : ''}${renamed}${definition.slice(match[0].length)}`;
}

/** CONCURRENTLY exists for plain tables and materialized views, not for partitioned tables. */
function canBeConcurrent(index: CatalogObject, ctx: PlanContext): boolean {
  if (!ctx.online || ctx.created.has(index.table!)) return false;
  const table = lookup(ctx.reference, 'table', index.table) ?? lookup(ctx.migrations, 'table', index.table);
  return !table?.attributes.partitionKey;
}

export const indexGenerator: KindGenerator = {
  kind: 'index',
  create(index, ctx) {
    const concurrent = canBeConcurrent(index, ctx);
    // pg_get_indexdef prints a partitioned table's index `ON ONLY`, which would leave the partitions without
    // theirs and the index invalid: created without ONLY, Postgres builds and attaches each partition's index.
    const definition = String(index.attributes.definition).replace(/^(CREATE (?:UNIQUE )?INDEX (?:"(?:[^"]|"")*"|[^\s"]+) ON )ONLY /, '$1');
    return [
      statement(index, 'create', concurrentIndexSql(definition, undefined, concurrent), {
        concurrent,
        needs: [objectId(lookup(ctx.reference, 'view', index.table) ? 'view' : 'table', index.table!)],
      }),
    ];
  },
  drop(index, ctx) {
    const concurrent = canBeConcurrent(index, ctx);
    return [statement(index, 'drop', `DROP INDEX ${concurrent ? 'CONCURRENTLY ' : ''}${sqlName(index.key)}`, { concurrent })];
  },
  alter() {
    return 'replace';
  },
  rename(wanted, current) {
    return [statement(current, 'rename', `ALTER INDEX ${sqlName(current.key)} RENAME TO ${ident(wanted.name)}`, { provides: [objectId('index', wanted.key)] })];
  },
};
