import { infoOf } from '../fix-statement.js';
import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { lookup, statement, type FixStatement, type KindGenerator, type PlanContext } from '../fix-statement.js';
import { ident, literal, splitKey, sqlName } from '../sql-names.js';
import { columnDefinition } from './columns.js';
import { publishedTables } from './publications.js';

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
    const rebuild = changed.filter((f) => f === 'partitionKey' || f === 'columnOrder');
    if (rebuild.length) {
      const refused = cannotRebuild(wanted, current, ctx);
      if (refused) {
        ctx.unsupported.push({ kind: 'table', object: wanted.key, reason: `its ${rebuild.map(fieldWords).join(' and ')} differs: ${refused}` });
        return [];
      }
      // Without --allow-data-loss the rebuild is only listed (withheld): nothing that depends on the table is touched.
      return ctx.allowDataLoss ? 'replace' : tableGenerator.replace!(wanted, current, ctx);
    }
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
      }
    }
    return out;
  },
  /**
   * The partition key and (with --strict-column-order) the column order only change by rebuilding the table:
   * the old one is renamed, the new one created from the reference, the rows copied across (identity values
   * kept), and the old one dropped. Everything that belongs to or depends on the table — constraints,
   * indexes, triggers, policies, views, foreign keys from other tables — is planned as dropped and created
   * again from the reference (see replaceDependants); constraints and indexes are built after the copy, once
   * the old table's names are free. Sequences the old columns own are kept (only their owner moves).
   * It holds an ACCESS EXCLUSIVE lock on the table for the whole copy, so it needs --allow-data-loss.
   */
  replace(wanted, current, ctx) {
    const name = sqlName(wanted.key);
    const old = oldName(wanted);
    const oldQualified = `${ident(splitKey(wanted.key).parts[0])}.${ident(old)}`;
    const dropped = columnsOf(current, ctx.migrations).filter((c) => !ownColumns(wanted, ctx).some((w) => w.name === c.name)).map((c) => c.name);
    const lost = dropped.length ? `; columns ${dropped.join(', ')} are not carried over` : '';
    const reason = `rebuilds table ${wanted.key} (${[...new Set(['partitionKey', 'columnOrder'].filter((f) => JSON.stringify(wanted.attributes[f]) !== JSON.stringify(current.attributes[f])))].map(fieldWords).join(', ') || 'definition'} differs): copies its rows into a new table under an ACCESS EXCLUSIVE lock and drops and recreates what depends on it (its comments and grants only when compared: --comments, --privileges); rows that fit none of its partitions fail the copy${lost}`;
    const currentColumns = columnsOf(current, ctx.migrations);
    const out: FixStatement[] = [statement(wanted, 'drop', `ALTER TABLE ${name} RENAME TO ${ident(old)}`, { dataLoss: reason })];
    for (const c of currentColumns.filter((c) => c.attributes.identity)) {
      // Frees the identity sequence's name for the new table's column; the values are copied explicitly.
      out.push(statement(wanted, 'drop', `ALTER TABLE ${oldQualified} ALTER COLUMN ${ident(c.name)} DROP IDENTITY`));
    }
    out.push(...tableGenerator.create(wanted, ctx).map((s) => ({ ...s, action: 'create' as const })));
    const wantedColumns = ownColumns(wanted, ctx).filter((c) => !c.attributes.generated);
    const sources = new Map(currentColumns.filter((d) => !d.attributes.generated).map((d) => [d.name, d]));
    const copiedColumns = wantedColumns.filter((c) => sources.has(c.name));
    const copied = copiedColumns.map((c) => ident(c.name));
    // A column whose type changes too is converted explicitly (an assignment cast alone refuses text → integer).
    const selected = copiedColumns.map((c) => (sources.get(c.name)!.attributes.type === c.attributes.type ? ident(c.name) : `${ident(c.name)}::${String(c.attributes.type)}`));
    const identity = wantedColumns.filter((c) => c.attributes.identity);
    if (copied.length) {
      out.push(statement(wanted, 'alter', `INSERT INTO ${name} (${copied.join(', ')})${identity.length ? ' OVERRIDING SYSTEM VALUE' : ''} SELECT ${selected.join(', ')} FROM ${oldQualified}`));
    }
    for (const c of identity.filter((c) => copied.includes(ident(c.name)))) {
      const column = ident(c.name);
      out.push(statement(wanted, 'alter', `SELECT setval(pg_get_serial_sequence(${literal(name)}, ${literal(c.name)}), coalesce(max(${column}), 0) + 1, false) FROM ${name}`));
    }
    const owned = [...(ctx.migrations.get('sequence')?.values() ?? [])].filter((q) => currentColumns.some((c) => c.key === q.attributes.ownedBy));
    for (const sequence of owned) out.push(statement(wanted, 'alter', `ALTER SEQUENCE ${sqlName(sequence.key)} OWNED BY NONE`));
    // The old table's constraints, indexes, triggers and policies go with it, freeing their names.
    const frees = [...ctx.migrations.values()].flatMap((objects) => [...objects.values()].filter((o) => o.table === current.key && o.key !== current.key && o.kind !== 'column').map((o) => objectId(o.kind, o.key)));
    out.push(statement(wanted, 'drop', `DROP TABLE ${oldQualified}`, { frees }));
    for (const sequence of owned) {
      const owner = lookup(ctx.reference, 'sequence', sequence.key)?.attributes.ownedBy;
      if (owner) out.push(statement(wanted, 'alter', `ALTER SEQUENCE ${sqlName(sequence.key)} OWNED BY ${sqlName(String(owner))}`));
    }
    // Publications that list the table by name lost it with the old table: it is added back as the reference publishes it.
    for (const publication of ctx.reference.get('publication')?.values() ?? []) {
      if (!ctx.migrations.get('publication')?.has(publication.key) || publication.attributes.allTables) continue;
      const entry = publishedTables(publication).find((t) => t.key === wanted.key);
      if (entry) out.push(statement(wanted, 'alter', `ALTER PUBLICATION ${ident(publication.name)} ADD TABLE ${entry.sql}`));
    }
    return out;
  },
};

function fieldWords(field: string): string {
  return field === 'partitionKey' ? 'partition key' : 'column order';
}

/** A name for the table being rebuilt while its rows are copied (at most 63 bytes, as Postgres keeps). */
function oldName(table: CatalogObject): string {
  return `${table.name.slice(0, 40)}_before_rebuild`;
}

function columnsOf(table: CatalogObject, catalog: PlanContext['reference']): CatalogObject[] {
  return [...(catalog.get('column')?.values() ?? [])].filter((c) => c.table === table.key);
}

/**
 * Why the rebuild is not generated (undefined when it can be): what a copy cannot carry over safely is left
 * to the user rather than guessed — partitions (theirs would have to be moved over too), a table that is
 * itself a partition, and columns renamed in the same fix.
 */
function cannotRebuild(wanted: CatalogObject, current: CatalogObject, ctx: PlanContext): string | undefined {
  const partitions = [...(ctx.migrations.get('table')?.values() ?? [])].filter((t) => t.attributes.partitionOf === current.key);
  if (partitions.length) return `rebuilding a partitioned table with partitions (${partitions.map((p) => p.key).join(', ')}) is not generated: create the new table with its partitions, copy the rows and swap by hand`;
  if (wanted.attributes.partitionOf || current.attributes.partitionOf) return 'rebuilding a partition is not generated: detach it, rebuild it and attach it again by hand';
  const wantedNames = new Set(ownColumns(wanted, ctx).map((c) => c.name));
  const currentNames = columnsOf(current, ctx.migrations).map((c) => c.name);
  const unmatched = ownColumns(wanted, ctx).filter((c) => !currentNames.includes(c.name));
  if (unmatched.length && currentNames.some((n) => !wantedNames.has(n))) return 'columns are renamed or replaced in the same change: rebuild it by hand, copying each column to its new name';
  return undefined;
}
