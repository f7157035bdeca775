import type { LintRule } from './lint-rule.js';
import { hitAt } from './hit.js';
import { rangeVarName, regclassText } from './statement-relations.js';

/**
 * `seed-not-idempotent` (info): an `INSERT` without `ON CONFLICT` into a table with a primary key or unique
 * constraint. Run twice (a re-run after a partial failure, the same seed in another environment that already
 * has the rows, a repeatable migration) it fails on the duplicate key.
 */
export const seedNotIdempotent: LintRule = {
  code: 'seed-not-idempotent',
  severity: 'info',
  title: 'An INSERT into a table with a unique key has no ON CONFLICT (running it twice fails)',
  create: () => ({
    async check(facts) {
      const n = facts.statement.node;
      if (facts.statement.type !== 'InsertStmt' || n.onConflictClause) return [];
      const table = facts.relation(rangeVarName(n.relation));
      if (!table) return [];
      if (facts.db) {
        const [row] = await facts.db.query<{ unique: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indrelid = pg_catalog.to_regclass($1) AND indisunique) AS unique`,
          [regclassText(rangeVarName(n.relation))],
        );
        if (!row?.unique) return [];
      }
      return [
        hitAt(
          facts,
          table.name,
          `INSERT into ${table.name} has no ON CONFLICT clause and the table has a primary key or unique constraint${facts.traced ? '' : ' (not traced: assumed)'}: running it again fails on the duplicate key`,
          `Write INSERT … ON CONFLICT (<unique columns>) DO NOTHING (or DO UPDATE SET … to refresh the row), so the seed can run again`,
        ),
      ];
    },
  }),
};
