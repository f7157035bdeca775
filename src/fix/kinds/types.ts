import { infoOf } from '../fix-statement.js';
import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { statement, type FixStatement, type KindGenerator, type PlanContext } from '../fix-statement.js';
import { ident, literal, splitKey, sqlName } from '../sql-names.js';

/** `CONSTRAINT "Positive" CHECK (…)` (as the catalog prints a domain's checks) → its name, unquoted. */
function constraintName(text: string): string {
  const quoted = /^CONSTRAINT "((?:[^"]|"")*)"/.exec(text);
  if (quoted) return quoted[1].replace(/""/g, '"');
  return /^CONSTRAINT (\S+)/.exec(text)?.[1] ?? text;
}

/** The quoted name at the start of `"My Field" text` or `amount numeric`. */
function nameOf(attribute: string): string {
  return /^(?:"(?:[^"]|"")*"|[^\s"]+)/.exec(attribute)![0];
}

function createSql(type: CatalogObject): string {
  const a = type.attributes;
  const name = sqlName(type.key);
  switch (a.type) {
    case 'enum':
      return `CREATE TYPE ${name} AS ENUM (${((a.labels as string[]) ?? []).map(literal).join(', ')})`;
    case 'domain':
      return [
        `CREATE DOMAIN ${name} AS ${a.baseType}`,
        a.default !== null ? ` DEFAULT ${a.default}` : '',
        a.nullable === 'NOT NULL' ? ' NOT NULL' : '',
        ...((a.constraints as string[] | null) ?? []).map((c) => ` ${c}`),
      ].join('');
    case 'composite':
      return `CREATE TYPE ${name} AS (${((a.attributes as string[] | null) ?? []).join(', ')})`;
    case 'range':
      return `CREATE TYPE ${name} AS RANGE (SUBTYPE = ${a.baseType})`;
    default:
      return `-- cannot create type ${name} (${a.type})`;
  }
}

/**
 * Labels added to an enum, each placed BEFORE or AFTER a label the enum already has; undefined when the
 * change also removes or reorders labels (which only recreating the type can do).
 */
function addedLabels(wanted: string[], current: string[]): Array<{ label: string; position: string }> | undefined {
  const kept = wanted.filter((l) => current.includes(l));
  if (kept.length !== current.length || kept.some((l, i) => l !== current[i])) return undefined;
  const out: Array<{ label: string; position: string }> = [];
  const present = [...current];
  for (const [i, label] of wanted.entries()) {
    if (present.includes(label)) continue;
    const before = wanted.slice(i + 1).find((l) => present.includes(l));
    const after = wanted.slice(0, i).reverse().find((l) => present.includes(l));
    out.push({ label, position: before !== undefined ? ` BEFORE ${literal(before)}` : after !== undefined ? ` AFTER ${literal(after)}` : '' });
    present.push(label);
  }
  return out;
}

/**
 * An enum that loses or reorders labels is recreated: the old type renamed aside, the new one created, each
 * column converted through text (a row holding a dropped label makes that fail, which is the point), the
 * old type dropped. Columns' defaults are dropped and set again around the conversion.
 */
function recreateEnum(wanted: CatalogObject, current: CatalogObject, ctx: PlanContext): FixStatement[] {
  const { parts } = splitKey(wanted.key);
  const aside = `${parts[parts.length - 1]}_before_fix`.slice(0, 63);
  const asideName = sqlName(wanted.key).replace(/[^.]+$/, ident(aside));
  const typeId = objectId('type', current.key);
  const columns = [...(ctx.migrations.get('column')?.values() ?? [])].filter((c) => ((infoOf(c)?.dependsOn as string[] | undefined) ?? []).includes(typeId) && !infoOf(c)?.inherited);
  const reason = `recreates enum ${wanted.key} without label(s) ${((current.attributes.labels as string[]) ?? []).filter((l) => !((wanted.attributes.labels as string[]) ?? []).includes(l)).join(', ') || '(reordered)'}: rows holding them cannot be converted`;
  const out: FixStatement[] = [
    statement(wanted, 'alter', `ALTER TYPE ${sqlName(current.key)} RENAME TO ${ident(aside)}`, { dataLoss: reason, provides: [] }),
    statement(wanted, 'alter', createSql(wanted), { dataLoss: reason }),
  ];
  for (const column of columns) {
    const alter = `ALTER TABLE ${sqlName(column.table!)} ALTER COLUMN ${ident(column.name)}`;
    const columnType = String(column.attributes.type).replace(/^[^[]+/, sqlName(wanted.key));
    if (column.attributes.default !== null) out.push(statement(wanted, 'alter', `${alter} DROP DEFAULT`, { dataLoss: reason }));
    out.push(statement(wanted, 'alter', `${alter} TYPE ${columnType} USING ${ident(column.name)}::text::${columnType}`, { dataLoss: reason }));
    const wantedColumn = ctx.reference.get('column')?.get(column.key);
    const newDefault = wantedColumn?.attributes.default ?? null;
    if (newDefault !== null) out.push(statement(wanted, 'alter', `${alter} SET DEFAULT ${newDefault}`, { dataLoss: reason }));
  }
  out.push(statement(wanted, 'alter', `DROP TYPE ${asideName}`, { dataLoss: reason, provides: [] }));
  return out;
}

export const typeGenerator: KindGenerator = {
  kind: 'type',
  create: (type) => [statement(type, 'create', createSql(type), { needs: [objectId('schema', splitKey(type.key).parts[0])] })],
  drop: (type) => [statement(type, 'drop', `${type.attributes.type === 'domain' ? 'DROP DOMAIN' : 'DROP TYPE'} ${sqlName(type.key)}`)],
  alter(wanted, current, changed, ctx) {
    const a = wanted.attributes;
    const b = current.attributes;
    const name = sqlName(wanted.key);
    if (changed.includes('type') || changed.includes('baseType')) return 'replace';
    const out: FixStatement[] = [];
    if (a.type === 'enum' && changed.includes('labels')) {
      const added = addedLabels((a.labels as string[]) ?? [], (b.labels as string[]) ?? []);
      if (!added) return recreateEnum(wanted, current, ctx);
      for (const { label, position } of added) out.push(statement(wanted, 'alter', `ALTER TYPE ${name} ADD VALUE ${literal(label)}${position}`));
    }
    if (a.type === 'domain') {
      if (changed.includes('default')) out.push(statement(wanted, 'alter', `ALTER DOMAIN ${name} ${a.default === null ? 'DROP DEFAULT' : `SET DEFAULT ${a.default}`}`));
      if (changed.includes('nullable')) out.push(statement(wanted, 'alter', `ALTER DOMAIN ${name} ${a.nullable === 'NOT NULL' ? 'SET' : 'DROP'} NOT NULL`));
      if (changed.includes('constraints')) {
        const want = (a.constraints as string[] | null) ?? [];
        const have = (b.constraints as string[] | null) ?? [];
        for (const c of have.filter((c) => !want.includes(c))) out.push(statement(wanted, 'alter', `ALTER DOMAIN ${name} DROP CONSTRAINT ${ident(constraintName(c))}`));
        for (const c of want.filter((c) => !have.includes(c))) {
          if (ctx.online && !/NOT VALID$/.test(c)) {
            out.push(statement(wanted, 'alter', `ALTER DOMAIN ${name} ADD ${c} NOT VALID`));
            out.push(statement(wanted, 'alter', `ALTER DOMAIN ${name} VALIDATE CONSTRAINT ${ident(constraintName(c))}`));
          } else out.push(statement(wanted, 'alter', `ALTER DOMAIN ${name} ADD ${c}`));
        }
      }
    }
    if (a.type === 'composite' && changed.includes('attributes')) {
      // Attributes by name: added, dropped, or of another type — the type (and the columns using it) stays.
      const byName = (attrs: string[]) => new Map(attrs.map((x) => [nameOf(x), x.slice(nameOf(x).length + 1)]));
      const want = byName((a.attributes as string[] | null) ?? []);
      const have = byName((b.attributes as string[] | null) ?? []);
      for (const [attr] of have) if (!want.has(attr)) out.push(statement(wanted, 'alter', `ALTER TYPE ${name} DROP ATTRIBUTE ${attr}`, { dataLoss: `drops attribute ${attr} of type ${wanted.key}` }));
      for (const [attr, type] of want) {
        if (!have.has(attr)) out.push(statement(wanted, 'alter', `ALTER TYPE ${name} ADD ATTRIBUTE ${attr} ${type}`));
        else if (have.get(attr) !== type) out.push(statement(wanted, 'alter', `ALTER TYPE ${name} ALTER ATTRIBUTE ${attr} SET DATA TYPE ${type}`));
      }
    }
    return out;
  },
};
