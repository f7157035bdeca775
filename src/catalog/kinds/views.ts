import { qualify, type CatalogKind } from '../catalog-object.js';
import { normalizeViewDefinition } from '../normalize-view.js';
import { notExtensionMember } from './shared-sql.js';

/**
 * Views and materialized views, compared by `pg_get_viewdef` (Postgres prints the query it stored, so
 * spacing, aliases and casts it adds are not drift) and their options (security_invoker, security_barrier,
 * check_option, storage options of a materialized view). Indexes of materialized views are in the index kind.
 */
export const views: CatalogKind<'view'> = {
  kind: 'view',
  fields: [
    { name: 'kind', label: 'kind' },
    { name: 'options', label: 'options' },
    { name: 'definition', label: 'definition', multiline: true },
  ],
  present: `EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1))`,
  query: () => `
    SELECT n.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized, c.reloptions AS options,
           pg_get_viewdef(c.oid, true) AS definition
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1) AND ${notExtensionMember('c.oid', 'pg_class')}
     ORDER BY 1, 2`,
  toObjects: (rows) =>
    rows.map((r) => ({
      kind: 'view',
      key: qualify(r.schema, r.name),
      // Its own table for grouping, and so that indexes and triggers on a missing view are not repeated.
      table: qualify(r.schema, r.name),
      name: r.name,
      attributes: {
        kind: r.materialized ? 'materialized view' : 'view',
        options: r.options ? [...r.options].sort() : null,
        definition: normalizeViewDefinition(String(r.definition)),
      },
    })),
};
