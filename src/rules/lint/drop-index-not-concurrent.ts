import type { LintRule } from './lint-rule.js';
import { hitAt } from './hit.js';
import { namedRelations } from './statement-relations.js';

/**
 * `drop-index-not-concurrent`: `DROP INDEX` without `CONCURRENTLY` of an index that existed before the
 * migration: it takes ACCESS EXCLUSIVE on the index's table, blocking reads and writes (and queueing behind
 * every running query on it).
 */
export const dropIndexNotConcurrent: LintRule = {
  code: 'drop-index-not-concurrent',
  severity: 'warning',
  title: 'An index that existed before the migration is dropped without CONCURRENTLY (its table is locked)',
  create: () => ({
    check(facts) {
      const n = facts.statement.node;
      if (facts.statement.type !== 'DropStmt' || n.removeType !== 'OBJECT_INDEX' || n.concurrent) return [];
      return namedRelations(facts.statement).flatMap((w) => {
        const index = facts.relation(w);
        if (!index?.preExisting) return [];
        return [
          hitAt(
            facts,
            index.name,
            `DROP INDEX ${index.name}, which existed before this migration, takes an ACCESS EXCLUSIVE lock on its table: reads and writes wait, also behind any long query already running on it`,
            `Use DROP INDEX CONCURRENTLY ${index.name} in a migration of its own (it cannot run inside a transaction block)`,
          ),
        ];
      });
    },
  }),
};
