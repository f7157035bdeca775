import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { lookup, statement, type FixStatement, type KindGenerator, type PlanContext } from '../fix-statement.js';
import { ident, sqlName } from '../sql-names.js';

const ENABLE: Record<string, string> = { DISABLED: 'DISABLE', 'ENABLED REPLICA': 'ENABLE REPLICA', 'ENABLED ALWAYS': 'ENABLE ALWAYS', ENABLED: 'ENABLE' };

/** ALTER TABLE also reaches a view's triggers. */
function setEnabled(trigger: CatalogObject): FixStatement {
  return statement(trigger, 'alter', `ALTER TABLE ${sqlName(trigger.table!)} ${ENABLE[String(trigger.attributes.enabled)] ?? 'ENABLE'} TRIGGER ${ident(trigger.name)}`);
}

export const triggerGenerator: KindGenerator = {
  kind: 'trigger',
  /** pg_get_triggerdef prints the whole CREATE TRIGGER; whether it fires is set after. */
  create(trigger, ctx) {
    const out = [
      statement(trigger, 'create', String(trigger.attributes.definition), {
        needs: [objectId(lookup(ctx.reference, 'view', trigger.table) ? 'view' : 'table', trigger.table!)],
      }),
    ];
    if (trigger.attributes.enabled !== 'ENABLED') out.push(setEnabled(trigger));
    return out;
  },
  drop(trigger) {
    return [statement(trigger, 'drop', `DROP TRIGGER ${ident(trigger.name)} ON ${sqlName(trigger.table!)}`)];
  },
  alter(wanted, _current, changed) {
    if (changed.includes('definition')) return 'replace';
    return [setEnabled(wanted)];
  },
  rename(wanted, current) {
    return [statement(current, 'rename', `ALTER TRIGGER ${ident(current.name)} ON ${sqlName(current.table!)} RENAME TO ${ident(wanted.name)}`, { provides: [objectId('trigger', wanted.key)] })];
  },
};
