import { infoOf } from '../fix-statement.js';
import type { CatalogObject } from '../../catalog/catalog-object.js';
import { statement, type KindGenerator } from '../fix-statement.js';
import { sqlName } from '../sql-names.js';

function definition(fn: CatalogObject): string {
  return String(infoOf(fn)?.definition ?? '').trim().replace(/;\s*$/, '');
}

export const functionGenerator: KindGenerator = {
  kind: 'function',
  /** pg_get_functiondef prints the whole CREATE OR REPLACE FUNCTION/PROCEDURE. */
  create: (fn) => [statement(fn, 'create', definition(fn))],
  drop: (fn) => [statement(fn, 'drop', `DROP ${fn.attributes.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${sqlName(fn.key)}`)],
  /**
   * CREATE OR REPLACE keeps the function (and what depends on it); Postgres refuses it when the return type,
   * the kind or the argument names or defaults change, which need the function dropped and created again.
   */
  alter(wanted, _current, changed) {
    if (changed.includes('returns') || changed.includes('kind') || changed.includes('arguments')) return 'replace';
    return [statement(wanted, 'alter', definition(wanted))];
  },
};
