import { quoteIdentIfNeeded } from '../../catalog/catalog-object.js';
import type { LintHit, LintRule, StatementFacts } from './lint-rule.js';
import { hitAt, lockName } from './hit.js';
import { rangeVarName, regclassText } from './statement-relations.js';

/**
 * `validation-under-lock`: a constraint checked against every existing row while the table is locked —
 * `ADD CONSTRAINT … FOREIGN KEY | CHECK` without `NOT VALID`, or `SET NOT NULL` without an already
 * validated `CHECK (col IS NOT NULL)` — on a table that existed before the migration. `NOT VALID` followed
 * by `VALIDATE CONSTRAINT` (which takes only SHARE UPDATE EXCLUSIVE) is the safe form.
 */
export const validationUnderLock: LintRule = {
  code: 'validation-under-lock',
  severity: 'error',
  title: 'A constraint is validated against every existing row while the table is locked',
  create: () => ({
    async check(facts) {
      if (facts.statement.type !== 'AlterTableStmt') return [];
      const table = facts.relation(rangeVarName(facts.statement.node.relation));
      if (!table?.preExisting) return [];
      const hits: LintHit[] = [];
      // The lock on the table while the scan runs: taken by this statement, or by an earlier one of the migration.
      const lock = facts.held.find((l) => l.relation === table.name)?.mode;
      const held = lock ? `${lockName(lock)} lock` : 'lock';
      for (const c of (facts.statement.node.cmds ?? []).map((x: Record<string, any>) => x.AlterTableCmd ?? {})) {
        const constraint = c.def?.Constraint;
        if (c.subtype === 'AT_AddConstraint' && (constraint?.contype === 'CONSTR_FOREIGN' || constraint?.contype === 'CONSTR_CHECK') && !constraint.skip_validation) {
          const what = constraint.contype === 'CONSTR_FOREIGN' ? 'foreign key' : 'check constraint';
          const name = constraint.conname ? `${table.name}.${quoteIdentIfNeeded(constraint.conname)}` : table.name;
          hits.push(
            hitAt(
              facts,
              name,
              `${what} ${constraint.conname ?? ''} is checked against every row of ${table.name}, which existed before this migration, while the ${held} blocks ${lock === 'AccessExclusiveLock' ? 'reads and writes' : 'writes'}`.replace('  ', ' '),
              `Add it with NOT VALID (no scan: only new rows are checked), then in a later statement or migration run ALTER TABLE ${table.name} VALIDATE CONSTRAINT ${constraint.conname ?? '<name>'}, which scans without blocking writes`,
            ),
          );
        }
        if (c.subtype === 'AT_SetNotNull' && c.name && !(await hasValidatedNotNullCheck(facts, c.name))) {
          hits.push(
            hitAt(
              facts,
              `${table.name}.${quoteIdentIfNeeded(c.name)}`,
              `SET NOT NULL scans every row of ${table.name}, which existed before this migration, while the ${held} blocks reads and writes`,
              `First ADD CONSTRAINT … CHECK (${quoteIdentIfNeeded(c.name)} IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT it (no blocking scan); SET NOT NULL then uses the validated check instead of scanning, and the check can be dropped afterwards`,
            ),
          );
        }
      }
      return hits;
    },
  }),
};

/** Postgres skips the scan of SET NOT NULL when a validated CHECK (col IS NOT NULL) proves it. Untraced: unknown, so no. */
async function hasValidatedNotNullCheck(facts: StatementFacts, column: string): Promise<boolean> {
  if (!facts.db) return false;
  const rows = await facts.db.query<{ def: string }>(
    `SELECT pg_catalog.pg_get_constraintdef(oid) AS def FROM pg_catalog.pg_constraint
      WHERE conrelid = pg_catalog.to_regclass($1) AND contype = 'c' AND convalidated`,
    [regclassText(rangeVarName(facts.statement.node.relation))],
  );
  const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);
  return rows.some((r) => {
    const m = /^CHECK \(\((.+) IS NOT NULL\)\)$/.exec(r.def);
    return m !== null && unquote(m[1]) === column;
  });
}
