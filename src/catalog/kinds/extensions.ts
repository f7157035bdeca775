import type { CatalogKind } from '../catalog-object.js';

/** Installed extensions in the compared schemas (name and schema; the version follows the engine, so it is not compared). */
export interface ExtensionPayload {
  version: string;
}

export const extensions: CatalogKind<'extension'> = {
  kind: 'extension',
  fields: [{ name: 'schema', label: 'schema' }],
  present: `EXISTS (SELECT 1 FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' AND n.nspname = ANY($1))`,
  query: () => `
    SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname <> 'plpgsql' AND n.nspname = ANY($1)
     ORDER BY 1`,
  toObjects: (rows) =>
    rows.map((r) => ({ kind: 'extension', key: r.name, name: r.name, attributes: { schema: r.schema }, info: { version: r.version } })),
};
