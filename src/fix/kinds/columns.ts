import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { statement, type FixStatement, type KindGenerator, type PlanContext } from '../fix-statement.js';
import { ident, sqlName } from '../sql-names.js';
import { isWideningTypeChange } from './type-changes.js';

/**
 * A column as it is written in CREATE TABLE or ADD COLUMN, from what Postgres printed: format_type's type,
 * pg_get_expr's default and generation expression, the identity with its sequence options.
 */
export function columnDefinition(column: CatalogObject): string {
  const a = column.attributes;
  const parts = [ident(column.name), String(a.type)];
  if (a.collation) parts.push(`COLLATE ${a.collation}`);
  if (a.generated) parts.push(`GENERATED ALWAYS AS (${a.generated}) STORED`);
  if (a.identity) parts.push(String(a.identity));
  if (a.default !== null && a.default !== undefined) parts.push(`DEFAULT ${a.default}`);
  if (a.nullable === 'NOT NULL') parts.push('NOT NULL');
  return parts.join(' ');
}

/** What the catalog says for a partition's inherited column attribute it does not set itself. */
const SAME_AS_PARENT = 'same as partitioned table';

/** The partitioned table's column a partition's inherited column follows. */
function parentColumn(column: CatalogObject, ctx: PlanContext): CatalogObject | undefined {
  const parent = ctx.reference.get('table')?.get(column.table!)?.attributes.partitionOf;
  return parent ? ctx.reference.get('column')?.get(`${parent}.${column.key.slice(column.table!.length + 1)}`) : undefined;
}

const IDENTITY_DEFAULTS: Record<string, string> = { 'START WITH': 'RESTART', 'INCREMENT BY': 'INCREMENT BY 1', MINVALUE: 'NO MINVALUE', MAXVALUE: 'NO MAXVALUE', CACHE: 'CACHE 1', CYCLE: 'NO CYCLE' };

export const columnGenerator: KindGenerator = {
  kind: 'column',
  create(column) {
    return [
      statement(column, 'create', `ALTER TABLE ${sqlName(column.table!)} ADD COLUMN ${columnDefinition(column)}`, { needs: [objectId('table', column.table!)] }),
    ];
  },
  drop(column) {
    return [statement(column, 'drop', `ALTER TABLE ${sqlName(column.table!)} DROP COLUMN ${ident(column.name)}`, { dataLoss: `drops column ${column.key} and its data` })];
  },
  alter(wanted, current, changed, ctx) {
    const table = sqlName(wanted.table!);
    const column = ident(wanted.name);
    const alter = (action: string) => `ALTER TABLE ${table} ALTER COLUMN ${column} ${action}`;
    const a = wanted.attributes;
    const b = current.attributes;
    const out: FixStatement[] = [];
    // A generated column cannot take SET DEFAULT or TYPE; a change of its expression, or a plain column that
    // becomes generated, is a new column (the expression computes every row again).
    if (changed.includes('generated')) {
      if (a.generated === null) {
        out.push(statement(wanted, 'alter', alter('DROP EXPRESSION')));
      } else {
        return 'replace';
      }
    }
    if (changed.includes('type') || changed.includes('collation')) {
      const collate = a.collation ? ` COLLATE ${a.collation}` : '';
      const using = changed.includes('type') ? ` USING ${column}::${a.type}` : '';
      const lossy = changed.includes('type') && !isWideningTypeChange(String(b.type), String(a.type));
      // The default is dropped first: the old default may not cast to the new type.
      const defaultInTheWay = changed.includes('type') && b.default !== null;
      if (defaultInTheWay) out.push(statement(wanted, 'alter', alter('DROP DEFAULT')));
      out.push(
        statement(wanted, 'alter', alter(`TYPE ${a.type}${collate}${using}`), {
          ...(lossy ? { dataLoss: `changes the type of ${wanted.key} from ${b.type} to ${a.type}, which can lose or reject data` } : {}),
        }),
      );
      if (defaultInTheWay && a.default !== null && !changed.includes('default')) out.push(statement(wanted, 'alter', alter(`SET DEFAULT ${a.default}`)));
    }
    if (changed.includes('default')) {
      const value = a.default === SAME_AS_PARENT ? parentColumn(wanted, ctx)?.attributes.default ?? null : a.default;
      out.push(statement(wanted, 'alter', value === null ? alter('DROP DEFAULT') : alter(`SET DEFAULT ${value}`)));
    }
    if (changed.includes('identity')) out.push(...identityChange(wanted, current, alter));
    if (changed.includes('nullable')) {
      const nullable = a.nullable === SAME_AS_PARENT ? parentColumn(wanted, ctx)?.attributes.nullable : a.nullable;
      if (nullable === 'NULL') out.push(statement(wanted, 'alter', alter('DROP NOT NULL')));
      else out.push(...setNotNull(wanted, ctx));
    }
    return out;
  },
  rename(wanted, current) {
    return [statement(current, 'rename', `ALTER TABLE ${sqlName(current.table!)} RENAME COLUMN ${ident(current.name)} TO ${ident(wanted.name)}`, { provides: [objectId('column', wanted.key)] })];
  },
};

/**
 * SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock. Online, a CHECK (… IS NOT NULL) added NOT
 * VALID and then validated (a lighter lock) lets SET NOT NULL skip the scan; the helper check is dropped after.
 */
function setNotNull(column: CatalogObject, ctx: PlanContext): FixStatement[] {
  const table = sqlName(column.table!);
  const plain = statement(column, 'alter', `ALTER TABLE ${table} ALTER COLUMN ${ident(column.name)} SET NOT NULL`);
  if (!ctx.online || ctx.created.has(column.table!)) return [plain];
  const check = ident(`${column.name}_not_null_fix`.slice(0, 63));
  return [
    statement(column, 'alter', `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${ident(column.name)} IS NOT NULL) NOT VALID`),
    statement(column, 'alter', `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check}`),
    plain,
    statement(column, 'alter', `ALTER TABLE ${table} DROP CONSTRAINT ${check}`),
  ];
}

/** `GENERATED BY DEFAULT AS IDENTITY (START WITH 10 CACHE 5)` → kind and options. */
function parseIdentity(text: string | null): { generated: string; options: Map<string, string> } | undefined {
  if (!text) return undefined;
  const match = /^GENERATED (ALWAYS|BY DEFAULT) AS IDENTITY(?: \((.*)\))?$/.exec(text);
  if (!match) return undefined;
  const options = new Map<string, string>();
  const re = /(START WITH|INCREMENT BY|MINVALUE|MAXVALUE|CACHE) (-?\d+)|(CYCLE)/g;
  for (const m of (match[2] ?? '').matchAll(re)) {
    if (m[3]) options.set('CYCLE', 'CYCLE');
    else options.set(m[1], `${m[1]} ${m[2]}`);
  }
  return { generated: match[1], options };
}

function identityChange(wanted: CatalogObject, current: CatalogObject, alter: (action: string) => string): FixStatement[] {
  const a = parseIdentity(wanted.attributes.identity as string | null);
  const b = parseIdentity(current.attributes.identity as string | null);
  if (!a) return [statement(wanted, 'alter', alter('DROP IDENTITY'))];
  if (!b) return [statement(wanted, 'alter', alter(`ADD ${wanted.attributes.identity}`))];
  const sets: string[] = [];
  if (a.generated !== b.generated) sets.push(`SET GENERATED ${a.generated}`);
  for (const option of Object.keys(IDENTITY_DEFAULTS)) {
    const want = a.options.get(option);
    if (want === b.options.get(option)) continue;
    if (option === 'START WITH') sets.push(want ? `SET ${want}` : 'SET START WITH 1');
    else sets.push(`SET ${want ?? IDENTITY_DEFAULTS[option]}`);
  }
  return sets.length ? [statement(wanted, 'alter', alter(sets.join(' ')))] : [];
}
