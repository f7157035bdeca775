import type { CatalogKind } from '../catalog-object.js';

/** Schemas compared (the list itself is chosen by the introspector, see listSchemas). */
export const schemas: CatalogKind<'schema'> = {
  kind: 'schema',
  fields: [],
  query: () => `SELECT nspname AS name FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1`,
  toObjects: (rows) => rows.map((r) => ({ kind: 'schema', key: r.name, name: r.name, attributes: {} })),
};
