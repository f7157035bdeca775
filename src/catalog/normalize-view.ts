import { parseSync } from 'libpg-query';
import { deparseSync } from 'pgsql-deparser';

/**
 * A view definition in one spelling for every Postgres version. Postgres 16 stopped qualifying column names
 * with the table name when a view reads a single table (`SELECT id FROM orders` where 15 prints
 * `SELECT orders.id FROM orders`), so the same view would otherwise read differently on PGlite (18) and on an
 * older server. The definition is parsed, qualifiers naming the single table of the top-level FROM are dropped,
 * and it is printed again by the deparser. Anything unexpected keeps Postgres's own text.
 * Callers must have loaded the parser (loadParser()).
 */
export function normalizeViewDefinition(definition: string): string {
  try {
    const tree = parseSync(definition) as { stmts: Array<{ stmt: Record<string, any> }> };
    const select = tree.stmts[0]?.stmt?.SelectStmt;
    const from = select?.fromClause;
    if (select && Array.isArray(from) && from.length === 1 && from[0].RangeVar) {
      const range = from[0].RangeVar;
      const names = new Set([range.alias?.aliasname ?? range.relname]);
      unqualify(select, names);
    }
    return deparseSync(tree as never).trim();
  } catch {
    return definition.trim();
  }
}

/**
 * Drops `table.` from column references `table.column` whose table is one of `names`, at the top query level
 * only: inside a subquery a qualifier may name the outer table on purpose (and Postgres keeps it there).
 */
function unqualify(node: unknown, names: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) unqualify(item, names);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const columnRef = (node as { ColumnRef?: { fields?: Array<Record<string, any>> } }).ColumnRef;
  if (columnRef?.fields?.length === 2 && names.has(columnRef.fields[0].String?.sval) && columnRef.fields[1].String) {
    columnRef.fields = [columnRef.fields[1]];
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'SubLink' || key === 'RangeSubselect' || key === 'withClause') continue;
    unqualify(value, names);
  }
}
