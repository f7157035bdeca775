import type { LintRule } from './lint-rule.js';
import { RlsEvents } from './rls-events.js';

/**
 * `rls-without-policy`: after the last migration a table has row level security enabled and no policy, so
 * every role that is not its owner (or BYPASSRLS) sees no rows and can write none. Reported at the statement
 * of a linted migration that enabled it; a policy added by a later migration counts.
 */
export const rlsWithoutPolicy: LintRule = {
  code: 'rls-without-policy',
  severity: 'warning',
  title: 'Row level security is enabled on a table that has no policy after the last migration',
  create: () => {
    const events = new RlsEvents();
    return {
      check(facts) {
        events.record(facts, 'enable');
        return [];
      },
      forgetFile: (file) => events.forget(file),
      finish({ catalog }) {
        const tables = catalog.get('table');
        const policies = [...(catalog.get('policy')?.values() ?? [])];
        const latest = new Map(events.all().map((e) => [e.table, e]));
        return [...latest.values()]
          .filter((e) => tables?.get(e.table)?.attributes.rowSecurity === true && !policies.some((p) => p.table === e.table))
          .map((e) => ({
            statement: e.statement,
            object: e.table,
            message: `row level security is enabled on ${e.table} and no migration creates a policy for it: every role but the owner (and BYPASSRLS roles) reads no rows and writes none`,
            hint: `CREATE POLICY … ON ${e.table} in the same migration (or before the table is used), or leave row level security off until its policies exist`,
            locks: [],
            rewrite: false,
            traced: e.traced,
          }));
      },
    };
  },
};
