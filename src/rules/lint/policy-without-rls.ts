import type { LintRule } from './lint-rule.js';
import { RlsEvents } from './rls-events.js';

/**
 * `policy-without-rls`: after the last migration a table has policies but row level security is disabled,
 * so the policies do nothing and every role with table privileges sees every row. Reported at the CREATE
 * POLICY of a linted migration; ENABLE ROW LEVEL SECURITY in a later migration counts.
 */
export const policyWithoutRls: LintRule = {
  code: 'policy-without-rls',
  severity: 'warning',
  title: 'A table has policies but row level security is disabled after the last migration (the policies do nothing)',
  create: () => {
    const events = new RlsEvents();
    return {
      check(facts) {
        events.record(facts, 'policy');
        return [];
      },
      forgetFile: (file) => events.forget(file),
      finish({ catalog }) {
        const tables = catalog.get('table');
        const policies = catalog.get('policy');
        return events
          .all()
          .filter((e) => tables?.get(e.table)?.attributes.rowSecurity === false && policies?.has(e.policy!))
          .map((e) => ({
            statement: e.statement,
            object: e.policy!,
            message: `policy ${e.policy} is created but row level security is not enabled on ${e.table} after the last migration: the policy is never applied and every role with privileges on the table sees every row`,
            hint: `ALTER TABLE ${e.table} ENABLE ROW LEVEL SECURITY (in the same migration as its policies, so there is no window in between)`,
            locks: [],
            rewrite: false,
            traced: e.traced,
          }));
      },
    };
  },
};
