import type { LintRule, StatementFacts } from './lint-rule.js';
import { hitAt, verb } from './hit.js';

const TABLES = new Set(['r', 'p', 'm']);

/**
 * `lock-timeout-missing`: a statement takes ACCESS EXCLUSIVE on a table that existed before the migration and
 * no `SET lock_timeout` came earlier in the same file. While it waits for the lock (behind any running query
 * on the table), every later query on the table queues behind it: a short migration becomes an outage.
 * Only statements that newly take the lock are reported: once held, later statements do not wait for it.
 */
export const lockTimeoutMissing: LintRule = {
  code: 'lock-timeout-missing',
  severity: 'warning',
  title: 'ACCESS EXCLUSIVE is taken on a table that existed before the migration without a lock_timeout',
  create: () => ({
    check(facts) {
      // Untraced, a dropped index's table is not known by name: the lock on the index stands for it.
      const table = (kind: string | undefined) => kind === undefined || TABLES.has(kind) || (!facts.traced && kind === 'i');
      const locked = facts.locks.filter((l) => l.mode === 'AccessExclusiveLock' && l.preExisting && table(l.kind));
      if (locked.length === 0 || lockTimeoutSet(facts)) return [];
      const tables = locked.map((l) => (l.kind === 'i' ? `the table of ${l.relation}` : l.relation));
      return [
        hitAt(
          facts,
          locked[0].relation,
          `${verb(facts)} takes an ACCESS EXCLUSIVE lock on ${tables.join(', ')}, which existed before this migration, and no lock_timeout is set earlier in this file: while it waits behind running queries, every other query on ${tables.length === 1 ? 'the table' : 'those tables'} queues behind it`,
          "Start the migration with SET lock_timeout = '5s' (or SET LOCAL), so it fails fast instead of blocking the table; retry it later",
        ),
      ];
    },
  }),
};

function lockTimeoutSet(facts: StatementFacts): boolean {
  return facts.file.statements.slice(0, facts.index).some((s) => {
    if (s.type !== 'VariableSetStmt' || String(s.node.name ?? '').toLowerCase() !== 'lock_timeout' || s.node.kind !== 'VAR_SET_VALUE') return false;
    const value = s.node.args?.[0]?.A_Const;
    // lock_timeout = 0 (or '0') turns the timeout off.
    return !(value?.ival !== undefined ? (value.ival.ival ?? 0) === 0 : String(value?.sval?.sval ?? '').trim() === '0');
  });
}
