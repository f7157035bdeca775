import { qualify } from '../../catalog/catalog-object.js';
import type { LintRule } from './lint-rule.js';
import { hitAt } from './hit.js';
import { rangeVarName } from './statement-relations.js';

/**
 * `index-not-concurrent`: `CREATE [UNIQUE] INDEX` without `CONCURRENTLY` on a table that existed before
 * the migration: the build holds a SHARE lock, which blocks every INSERT, UPDATE and DELETE until it ends.
 */
export const indexNotConcurrent: LintRule = {
  code: 'index-not-concurrent',
  severity: 'warning',
  title: 'An index is built without CONCURRENTLY on a table that existed before the migration (writes blocked)',
  create: () => ({
    check(facts) {
      const n = facts.statement.node;
      if (facts.statement.type !== 'IndexStmt' || n.concurrent) return [];
      const table = facts.relation(rangeVarName(n.relation));
      if (!table?.preExisting) return [];
      const schema = table.name.includes('.') ? table.name.slice(0, table.name.lastIndexOf('.')) : 'public';
      const index = n.idxname ? `${schema}.${qualify(n.idxname)}` : table.name;
      const partitioned = table.kind === 'p';
      return [
        hitAt(
          facts,
          index,
          `CREATE ${n.unique ? 'UNIQUE ' : ''}INDEX${n.idxname ? ` ${n.idxname}` : ''} on ${table.name}, which existed before this migration, holds a SHARE lock for the whole build: inserts, updates and deletes wait until it is done`,
          partitioned
            ? `${table.name} is partitioned (CONCURRENTLY is not supported on it): CREATE INDEX ON ONLY the parent, CREATE INDEX CONCURRENTLY on each partition, then ALTER INDEX … ATTACH PARTITION each`
            : `Use CREATE ${n.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY in a migration of its own (it cannot run inside a transaction block; in Flyway put it in a file without other statements)`,
        ),
      ];
    },
  }),
};
