import type { CatalogKind } from '../catalog-object.js';
import { notExtensionMember } from './shared-sql.js';

const ENABLED: Record<string, string> = { O: 'ENABLED', D: 'DISABLED', R: 'ENABLED REPLICA', A: 'ENABLED ALWAYS' };

/**
 * Event triggers (database-wide, keyed by name): the event, the command tags of WHEN TAG IN, the function and
 * whether it fires. One is compared when its function is in a compared schema, so a platform's own event
 * triggers (functions in its extension schemas) are not drift of the project.
 */
export const eventTriggers: CatalogKind<'event-trigger'> = {
  kind: 'event-trigger',
  fields: [
    { name: 'event', label: 'event' },
    { name: 'tags', label: 'tags' },
    { name: 'function', label: 'function' },
    { name: 'enabled', label: 'enabled' },
  ],
  present: `EXISTS (SELECT 1 FROM pg_event_trigger)`,
  query: () => `
    SELECT e.evtname AS name, e.evtevent AS event, coalesce(ARRAY(SELECT t FROM unnest(e.evttags) t ORDER BY 1), ARRAY[]::text[]) AS tags,
           format('%I.%I()', n.nspname, p.proname) AS function, e.evtenabled AS enabled
      FROM pg_event_trigger e
      JOIN pg_proc p ON p.oid = e.evtfoid
      JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = ANY($1) AND ${notExtensionMember('e.oid', 'pg_event_trigger')}
     ORDER BY 1`,
  toObjects: (rows) =>
    rows.map((r) => ({
      kind: 'event-trigger',
      key: r.name,
      name: r.name,
      attributes: { event: r.event, tags: r.tags, function: r.function, enabled: ENABLED[r.enabled] ?? r.enabled },
    })),
};
