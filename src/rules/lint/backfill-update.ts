import type { LintRule } from './lint-rule.js';
import { hitAt } from './hit.js';
import { rangeVarName } from './statement-relations.js';

/**
 * `backfill-update`: an `UPDATE` or `DELETE` of a table that existed before the migration. In a migration it
 * runs in one transaction: every row it touches stays locked (and its old version kept) until the migration
 * commits, and on a large table that is a long time.
 */
export const backfillUpdate: LintRule = {
  code: 'backfill-update',
  severity: 'warning',
  title: 'A migration updates or deletes rows of a table that existed before it (a backfill in one transaction)',
  create: () => ({
    check(facts) {
      const type = facts.statement.type;
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
