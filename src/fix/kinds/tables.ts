import { infoOf } from '../fix-statement.js';
import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { statement, type FixStatement, type KindGenerator, type PlanContext } from '../fix-statement.js';
import { ident, literal, sqlName } from '../sql-names.js';
import { columnDefinition } from './columns.js';

/** The table's own columns from the reference, in their order (a partition's inherited ones come with PARTITION OF). */
function ownColumns(table: CatalogObject, ctx: PlanContext): CatalogObject[] {
  return [...(ctx.reference.get('column')?.values() ?? [])]
    .filter((c) => c.table === table.key && !infoOf(c)?.inherited)
    .sort((a, b) => Number(infoOf(a)?.position) - Number(infoOf(b)?.position));
}

/** `fillfactor=70` → `fillfactor = '70'`; `toast.autovacuum_enabled=false` keeps its namespace. */
export function storageOption(option: string): string {
  const at = option.indexOf('=');
  const name = at < 0 ? option : option.slice(0, at);
  const value = at < 0 ? 'true' : option.slice(at + 1);
  return `${name.split('.').map(ident).join('.')} = ${literal(value)}`;
}

function optionName(option: string): string {
  const at = option.indexOf('=');
  return (at < 0 ? option : option.slice(0, at)).split('.').map(ident).join('.');
}

export const tableGenerator: KindGenerator = {
  kind: 'table',
  create(table, ctx) {
    const a = table.attributes;
    const columns = ownColumns(table, ctx);
    const name = sqlName(table.key);
    const persistence = a.persistence === 'unlogged' ? 'UNLOGGED ' : '';
    const body = columns.length || !a.partitionOf ? ` (\n${columns.map((c) => `  ${columnDefinition(c)}`).join(',\n')}\n)` : '';
    const head = a.partitionOf ? `CREATE ${persistence}TABLE ${name} PARTITION OF ${sqlName(String(a.partitionOf))}${body} ${a.partitionBound}` : `CREATE ${persistence}TABLE ${name}${body}`;
    const partitionBy = a.partitionKey ? ` PARTITION BY ${a.partitionKey}` : '';
    const options = Array.isArray(a.options) && a.options.length ? ` WITH (${a.options.map(storageOption).join(', ')})` : '';
    const columnIds = columns.map((c) => objectId('column', c.key));
    const needs = [...new Set(columns.flatMap((c) => (infoOf(c)?.dependsOn as string[] | undefined) ?? []))].filter((id) => id !== objectId('table', table.key) && !columnIds.includes(id));
    if (a.partitionOf) needs.push(objectId('table', String(a.partitionOf)));
    const out: FixStatement[] = [
      statement(table, 'create', `${head}${partitionBy}${options}`, { provides: [objectId('table', table.key), ...columnIds], needs }),
    ];
    if (a.rowSecurity) out.push(statement(table, 'alter', `ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`));
    if (a.forceRowSecurity) out.push(statement(table, 'alter', `ALTER TABLE ${name} FORCE ROW LEVEL SECURITY`));
    return out;
  },
  drop(table) {
    return [statement(table, 'drop', `DROP TABLE ${sqlName(table.key)}`, { dataLoss: `drops table ${table.key} and its rows` })];
  },
  alter(wanted, current, changed, ctx) {
    const name = sqlName(wanted.key);
    const a = wanted.attributes;
    const b = current.attributes;
    const out: FixStatement[] = [];
    for (const field of changed) {
      switch (field) {
        case 'rowSecurity':
          out.push(statement(wanted, 'alter', `ALTER TABLE ${name} ${a.rowSecurity ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`));
          break;
        case 'forceRowSecurity':
          out.push(statement(wanted, 'alter', `ALTER TABLE ${name} ${a.forceRowSecurity ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`));
          break;
        case 'persistence':
          out.push(statement(wanted, 'alter', `ALTER TABLE ${name} SET ${a.persistence === 'unlogged' ? 'UNLOGGED' : 'LOGGED'}`));
          break;
        case 'options': {
          const want = (a.options as string[] | null) ?? [];
          const have = (b.options as string[] | null) ?? [];
          const gone = have.map(optionName).filter((n) => !want.map(optionName).includes(n));
          if (gone.length) out.push(statement(wanted, 'alter', `ALTER TABLE ${name} RESET (${gone.join(', ')})`));
          if (want.length) out.push(statement(wanted, 'alter', `ALTER TABLE ${name} SET (${want.map(storageOption).join(', ')})`));
          break;
        }
        case 'partitionOf':
        case 'partitionBound': {
          if (out.some((s) => /ATTACH PARTITION|DETACH PARTITION/.test(s.sql))) break;
          if (b.partitionOf) out.push(statement(wanted, 'alter', `ALTER TABLE ${sqlName(String(b.partitionOf))} DETACH PARTITION ${name}`));
          if (a.partitionOf) {
            out.push(statement(wanted, 'alter', `ALTER TABLE ${sqlName(String(a.partitionOf))} ATTACH PARTITION ${name} ${a.partitionBound}`, { needs: [objectId('table', String(a.partitionOf))] }));
          }
          break;
        }
        default:
          // The partition key and (with --strict-column-order) the column order can only change by
          // recreating the table and copying its rows: not something to generate blindly.
          ctx.unsupported.push({ kind: 'table', object: wanted.key, reason: `its ${field === 'partitionKey' ? 'partition key' : 'column order'} differs: only recreating the table and copying its rows changes that` });
      }
    }
    return out;
  },
};
