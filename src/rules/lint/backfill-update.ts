import { qualify } from '../../catalog/catalog-object.js';
import type { ScratchDatabase } from '../../engine/scratch-database.js';
import type { LintHit, LintRule, StatementFacts } from './lint-rule.js';
import { hitAt } from './hit.js';
import { rangeVarName } from './statement-relations.js';

/**
 * `backfill-update`: an `UPDATE` or `DELETE` of a table that existed before the migration. In a migration it
 * runs in one transaction: every row it touches stays locked (and its old version kept) until the migration
 * commits, and on a large table that is a long time. A `DO` block is judged by what it did: traced, the
 * tables it took ROW EXCLUSIVE on (it wrote rows of them); its text is not read.
 */
export const backfillUpdate: LintRule = {
  code: 'backfill-update',
  severity: 'warning',
  title: 'A migration updates or deletes rows of a table that existed before it (a backfill in one transaction)',
  create: () => ({
    async prepare(statement, db) {
      return statement.type === 'DoStmt' ? writesSoFar(db) : undefined;
    },
    async check(facts, prepared) {
      const type = facts.statement.type;
      if (type === 'DoStmt') return doBlockWrites(facts, prepared as Map<string, number> | undefined);
      if (type !== 'UpdateStmt' && type !== 'DeleteStmt') return [];
      const table = facts.relation(rangeVarName(facts.statement.node.relation));
      if (!table?.preExisting) return [];
      const what = type === 'UpdateStmt' ? 'UPDATE' : 'DELETE';
      return [
        hitAt(
          facts,
          table.name,
          `${what} of ${table.name}, which existed before this migration, touches its rows in the migration's one transaction: on a large table every row stays locked until the migration commits, and the statement's time adds to every lock the migration holds`,
          'Backfill outside the schema migration, in batches of a few thousand rows with a commit after each (a job or a repeatable script), or at least run it when the table is quiet; keep the migration to DDL',
        ),
      ];
    },
  }),
};

/** Rows updated and deleted so far in this transaction, per table (pg_stat_xact_user_tables: the backend's own counts). */
const WRITES_SQL = `
  SELECT schemaname AS schema, relname AS name,
         (n_tup_upd + n_tup_del)::text AS written
    FROM pg_catalog.pg_stat_xact_user_tables`;

interface WriteRow {
  schema: string;
  name: string;
  written: string;
}

async function writesSoFar(db: ScratchDatabase): Promise<Map<string, number>> {
  const rows = await db.query<WriteRow>(WRITES_SQL);
  return new Map(rows.map((r) => [qualify(r.schema, r.name), Number(r.written)]));
}

/**
 * The pre-existing tables a DO block updated or deleted rows of: the transaction's own row counts before and
 * after it (its text is not read). Untraced: unknown, so none.
 */
async function doBlockWrites(facts: StatementFacts, before: Map<string, number> | undefined): Promise<LintHit[]> {
  if (!facts.traced || !facts.db || !before) return [];
  const after = await writesSoFar(facts.db);
  const preExisting = new Set(facts.held.filter((l) => l.preExisting).map((l) => l.relation));
  return [...after]
    .filter(([table, n]) => n > (before.get(table) ?? 0) && preExisting.has(table))
    .map(([table]) =>
      hitAt(
        facts,
        table,
        `the DO block updates or deletes rows of ${table}, which existed before this migration, in the migration's one transaction: on a large table every row it touches stays locked until the migration commits`,
        'Backfill outside the schema migration, in batches of a few thousand rows with a commit after each (a job or a repeatable script), or at least run it when the table is quiet; keep the migration to DDL',
      ),
    );
}
