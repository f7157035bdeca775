import { qualify, type CatalogKind } from '../catalog-object.js';
import { notExtensionMember } from './shared-sql.js';

const TYPES: Record<string, string> = { p: 'PRIMARY KEY', u: 'UNIQUE', f: 'FOREIGN KEY', c: 'CHECK', x: 'EXCLUDE' };

/**
 * Table constraints, compared by `pg_get_constraintdef` (which includes actions, MATCH, DEFERRABLE and
 * NOT VALID). NOT NULL is a column attribute: Postgres 18 also stores it as a constraint (contype 'n'),
 * which is left out so results match older servers. Constraints cloned onto partitions or inherited are
 * left out too: the parent's constraint is the one that was written.
 */
/** A constraint's columns, its type letter (pg_constraint.contype) and the index behind it. */
export interface ConstraintPayload {
  columns: string[];
  contype: string;
  index: string | null;
}

export const constraints: CatalogKind<'constraint'> = {
  kind: 'constraint',
  fields: [
    { name: 'type', label: 'constraint type' },
    { name: 'definition', label: 'definition', multiline: true },
  ],
  // The definition never contains the constraint's own name.
  renameSignature: (o) => `${o.attributes.type} ${o.attributes.definition}`,
  query: () => `
    SELECT n.nspname AS schema, cl.relname AS table, co.conname AS name, co.contype AS type,
           pg_get_constraintdef(co.oid) AS definition, co.conindid::regclass::text AS index_name,
           ARRAY(SELECT a.attname::text FROM unnest(co.conkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
      FROM pg_constraint co
      JOIN pg_class cl ON cl.oid = co.conrelid
      JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND cl.relkind IN ('r', 'p')
       AND co.conparentid = 0 AND co.conislocal
       AND n.nspname = ANY($1) AND ${notExtensionMember('cl.oid', 'pg_class')}
     ORDER BY 1, 2, 3`,
  toObjects: (rows) =>
    rows.map((r) => ({
      kind: 'constraint',
      key: qualify(r.schema, r.table, r.name),
      table: qualify(r.schema, r.table),
      name: r.name,
      attributes: { type: TYPES[r.type] ?? r.type, definition: r.definition },
      info: { columns: r.columns, contype: r.type, index: r.index_name === '-' ? null : r.index_name },
    })),
};
