import type { CatalogObject } from '../../catalog/catalog-object.js';
import { statement, type KindGenerator } from '../fix-statement.js';
import { sqlName } from '../sql-names.js';
import { storageOption } from './tables.js';

function materialized(view: CatalogObject): boolean {
  return view.attributes.kind === 'materialized view';
}

export const viewGenerator: KindGenerator = {
  kind: 'view',
  /** pg_get_viewdef's query (as the catalog normalised it, printed by the deparser) under the view's options. */
  create(view) {
    const options = Array.isArray(view.attributes.options) && view.attributes.options.length ? ` WITH (${view.attributes.options.map(storageOption).join(', ')})` : '';
    const definition = String(view.attributes.definition).replace(/;\s*$/, '');
    return [statement(view, 'create', `CREATE ${materialized(view) ? 'MATERIALIZED VIEW' : 'VIEW'} ${sqlName(view.key)}${options} AS\n${definition}`)];
  },
  drop(view) {
    return [statement(view, 'drop', `DROP ${materialized(view) ? 'MATERIALIZED VIEW' : 'VIEW'} ${sqlName(view.key)}`)];
  },
  /** A changed view is dropped and created again, and so is every view, rule or index that depends on it. */
  alter: () => 'replace',
};
