import { qualify, withoutDefinitionName, type CatalogKind } from '../catalog-object.js';
import { notExtensionMember } from './shared-sql.js';

const ENABLED: Record<string, string> = { O: 'ENABLED', D: 'DISABLED', R: 'ENABLED REPLICA', A: 'ENABLED ALWAYS' };

/**
 * Triggers, compared by `pg_get_triggerdef` (timing, events, columns, row/statement, WHEN, function and its
 * arguments) plus whether they fire. Internal triggers (those behind foreign keys) and clones on partitions
 * are left out.
 */
export interface TriggerPayload {
  function: string;
}

export const triggers: CatalogKind<'trigger'> = {
  kind: 'trigger',
  fields: [
    { name: 'definition', label: 'definition', multiline: true },
    { name: 'enabled', label: 'enabled' },
  ],
  renameSignature: (o) => `${withoutDefinitionName(String(o.attributes.definition))} ${o.attributes.enabled}`,
  present: `EXISTS (SELECT 1 FROM pg_trigger WHERE NOT tgisinternal)`,
  query: (ctx) => `
    SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name, pg_get_triggerdef(t.oid, true) AS definition,
           t.tgenabled AS enabled, p.oid::regprocedure::text AS function
      FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_proc p ON p.oid = t.tgfoid
     WHERE NOT t.tgisinternal ${ctx.versionNum >= 130000 ? 'AND t.tgparentid = 0' : ''}
       AND n.nspname = ANY($1) AND ${notExtensionMember('c.oid', 'pg_class')}
     ORDER BY 1, 2, 3`,
  toObjects: (rows) =>
    rows.map((r) => ({
      kind: 'trigger',
      key: qualify(r.schema, r.table, r.name),
      table: qualify(r.schema, r.table),
      name: r.name,
      attributes: { definition: r.definition, enabled: ENABLED[r.enabled] ?? r.enabled },
      info: { function: r.function },
    })),
};
