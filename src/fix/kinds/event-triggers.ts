import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { statement, type FixStatement, type KindGenerator } from '../fix-statement.js';
import { ident, literal } from '../sql-names.js';

const ENABLE: Record<string, string> = { DISABLED: 'DISABLE', 'ENABLED REPLICA': 'ENABLE REPLICA', 'ENABLED ALWAYS': 'ENABLE ALWAYS', ENABLED: 'ENABLE' };

/** Disabling an existing one stops it before the fix's own DDL; enabling waits until that DDL has run; a new one is set with its creation. */
function setEnabled(trigger: CatalogObject, created = false): FixStatement {
  const how = ENABLE[String(trigger.attributes.enabled)] ?? 'ENABLE';
  return statement(trigger, 'alter', `ALTER EVENT TRIGGER ${ident(trigger.name)} ${how}`, { phase: how === 'DISABLE' && !created ? 'first' : 'last' });
}

/**
 * Event triggers fire on DDL, the fix's own included: one is dropped (or disabled) before every other
 * statement and created (or enabled) after all of them, so it neither fires on nor blocks the fix. The
 * function it executes is printed `schema.name()` by the catalog, quoted as needed.
 */
export const eventTriggerGenerator: KindGenerator = {
  kind: 'event-trigger',
  create(trigger) {
    const a = trigger.attributes;
    const tags = (a.tags as string[] | null) ?? [];
    const when = tags.length ? ` WHEN TAG IN (${tags.map(literal).join(', ')})` : '';
    const functionKey = String(a.function);
    const out = [
      statement(trigger, 'create', `CREATE EVENT TRIGGER ${ident(trigger.name)} ON ${ident(String(a.event))}${when} EXECUTE FUNCTION ${functionKey}`, {
        needs: [objectId('function', functionKey)],
        phase: 'last',
      }),
    ];
    if (a.enabled !== 'ENABLED') out.push(setEnabled(trigger, true));
    return out;
  },
  drop(trigger) {
    return [statement(trigger, 'drop', `DROP EVENT TRIGGER ${ident(trigger.name)}`, { phase: 'first' })];
  },
  alter(wanted, _current, changed) {
    if (changed.some((field) => field !== 'enabled')) return 'replace';
    return [setEnabled(wanted)];
  },
};
