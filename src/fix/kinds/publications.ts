import type { CatalogObject } from '../../catalog/catalog-object.js';
import { qualify } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { statement, type FixStatement, type KindGenerator } from '../fix-statement.js';
import { ident, literal, splitKey } from '../sql-names.js';

/**
 * One published table as the catalog reads it: `schema.table`, then ` (a, b)` and ` WHERE expr` when set —
 * names as Postgres' quote_ident printed them and the row filter as pg_get_expr printed it.
 */
export interface PublishedTable {
  /** The quoted name, as written in SQL. */
  name: string;
  /** The catalog key of the table (for ordering: it must exist before it is published). */
  key: string;
  /** The entry as it goes after FOR TABLE / ADD TABLE: name, column list, row filter in parentheses. */
  sql: string;
}

function publishedTable(entry: string): PublishedTable {
  let i = 0;
  let inQuotes = false;
  for (; i < entry.length; i++) {
    if (entry[i] === '"') inQuotes = !inQuotes;
    else if (entry[i] === ' ' && !inQuotes) break;
  }
  const name = entry.slice(0, i);
  let rest = entry.slice(i);
  let columns = '';
  if (rest.startsWith(' (')) {
    // A column list is quote_ident names separated by commas: its closing parenthesis is the first one outside quotes.
    let j = 2;
    for (let q = false; j < rest.length && (q || rest[j] !== ')'); j++) if (rest[j] === '"') q = !q;
    columns = rest.slice(0, j + 1);
    rest = rest.slice(j + 1);
  }
  const filter = rest.startsWith(' WHERE ') ? ` WHERE (${rest.slice(' WHERE '.length)})` : '';
  return { name, key: qualify(...splitKey(name).parts), sql: `${name}${columns}${filter}` };
}

/** The tables a publication lists (those in compared schemas), as the catalog read them. */
export function publishedTables(publication: CatalogObject): PublishedTable[] {
  return ((publication.attributes.tables as string[] | null) ?? []).map(publishedTable);
}

function schemas(publication: CatalogObject): string[] {
  return (publication.attributes.schemas as string[] | null) ?? [];
}

/** `publish = 'insert, update'` and publish_via_partition_root, as CREATE and ALTER … SET take them. */
function parameters(publication: CatalogObject): string {
  const operations = String(publication.attributes.operations);
  return `publish = ${literal(operations === 'none' ? '' : operations)}, publish_via_partition_root = ${publication.attributes.viaRoot ? 'true' : 'false'}`;
}

function needsOf(publication: CatalogObject): string[] {
  return [...publishedTables(publication).map((t) => objectId('table', t.key)), ...schemas(publication).map((s) => objectId('schema', splitKey(s).parts[0]))];
}

/**
 * Publications: created with their tables (column lists and row filters included), schemas and parameters;
 * a changed one is altered in place — tables and schemas added and dropped one by one (a table whose column
 * list or row filter changed is dropped and added again), parameters set — so subscribers keep their
 * publication. Only FOR ALL TABLES, which ALTER cannot change, drops and creates it again.
 */
export const publicationGenerator: KindGenerator = {
  kind: 'publication',
  create(publication) {
    const name = ident(publication.name);
    const targets = [
      ...publishedTables(publication).map((t) => `TABLE ${t.sql}`),
      ...schemas(publication).map((s) => `TABLES IN SCHEMA ${s}`),
    ];
    const scope = publication.attributes.allTables ? ' FOR ALL TABLES' : targets.length ? ` FOR ${targets.join(', ')}` : '';
    return [statement(publication, 'create', `CREATE PUBLICATION ${name}${scope} WITH (${parameters(publication)})`, { needs: needsOf(publication) })];
  },
  drop(publication) {
    return [statement(publication, 'drop', `DROP PUBLICATION ${ident(publication.name)}`)];
  },
  alter(wanted, current, changed) {
    if (changed.includes('allTables')) return 'replace';
    const name = ident(wanted.name);
    const out: FixStatement[] = [];
    if (changed.includes('tables') || changed.includes('schemas')) {
      const want = new Map(publishedTables(wanted).map((t) => [t.name, t]));
      const have = new Map(publishedTables(current).map((t) => [t.name, t]));
      const dropTables = [...have.values()].filter((t) => want.get(t.name)?.sql !== t.sql).map((t) => `TABLE ${t.name}`);
      const dropSchemas = schemas(current).filter((s) => !schemas(wanted).includes(s)).map((s) => `TABLES IN SCHEMA ${s}`);
      const addTables = [...want.values()].filter((t) => have.get(t.name)?.sql !== t.sql).map((t) => `TABLE ${t.sql}`);
      const addSchemas = schemas(wanted).filter((s) => !schemas(current).includes(s)).map((s) => `TABLES IN SCHEMA ${s}`);
      if (dropTables.length + dropSchemas.length) out.push(statement(wanted, 'alter', `ALTER PUBLICATION ${name} DROP ${[...dropTables, ...dropSchemas].join(', ')}`));
      if (addTables.length + addSchemas.length) out.push(statement(wanted, 'alter', `ALTER PUBLICATION ${name} ADD ${[...addTables, ...addSchemas].join(', ')}`, { needs: needsOf(wanted) }));
    }
    if (changed.includes('operations') || changed.includes('viaRoot')) out.push(statement(wanted, 'alter', `ALTER PUBLICATION ${name} SET (${parameters(wanted)})`));
    return out;
  },
};
