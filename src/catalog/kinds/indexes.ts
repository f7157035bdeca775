import { qualify, withoutDefinitionName, type CatalogKind } from '../catalog-object.js';
import { notExtensionMember } from './shared-sql.js';

/**
 * Indexes, compared by `pg_get_indexdef` (method, keys, opclasses, collations, order, INCLUDE, predicate,
 * uniqueness, NULLS NOT DISTINCT). The per-column parts are kept in `info` for the redundant-index rules,
 * always as Postgres prints them — never raw pg_node_tree text, which embeds source positions.
 * Indexes cloned onto partitions are left out: the parent's index is the one that was written.
 */
/**
 * The parts of an index the redundant-index rules compare, as Postgres prints them: per key column its text,
 * opclass, collation and order, the INCLUDE columns, predicate, the constraint it backs, and what depends on it.
 */
export interface IndexPayload {
  method: string;
  unique: boolean;
  primary: boolean;
  exclusion: boolean;
  nullsNotDistinct: boolean;
  keyColumns: string[];
  includeColumns: string[];
  opclasses: string[];
  collations: string[];
  /** indoption per key column: 1 = DESC, 2 = NULLS FIRST. */
  options: number[];
  attnums: number[];
  predicate: string | null;
  /** Name of the primary key, unique or exclusion constraint the index backs. */
  constraint: string | null;
  /** Creation order within one database (the index's oid). */
  createdOrder: number;
  /** False after a failed CREATE INDEX CONCURRENTLY. */
  valid: boolean;
  /** False for a DEFERRABLE constraint's index. */
  immediate: boolean;
  exclusionOperators: string[];
  /** Foreign keys whose referenced key this index provides. */
  foreignKeys: string[];
  reloptions: string[];
}

export const indexes: CatalogKind<'index'> = {
  kind: 'index',
  fields: [{ name: 'definition', label: 'definition', multiline: true }],
  renameSignature: (o) => withoutDefinitionName(String(o.attributes.definition)),
  query: (ctx) => `
    SELECT n.nspname AS schema, t.relname AS table, i.relname AS name,
           pg_get_indexdef(i.oid) AS definition, am.amname AS method,
           x.indisunique AS is_unique, x.indisprimary AS is_primary, x.indisexclusion AS is_exclusion,
           ${ctx.versionNum >= 150000 ? 'x.indnullsnotdistinct' : 'false'} AS nulls_not_distinct,
           x.indnkeyatts AS key_count, x.indnatts AS column_count,
           ARRAY(SELECT pg_get_indexdef(i.oid, k, true) FROM generate_series(1, x.indnatts) k ORDER BY k) AS columns,
           ARRAY(SELECT coalesce(oc.opcname, '') || CASE WHEN oc.opcdefault THEN ':default' ELSE '' END
                   FROM generate_series(0, x.indnkeyatts - 1) k LEFT JOIN pg_opclass oc ON oc.oid = x.indclass[k] ORDER BY k) AS opclasses,
           ARRAY(SELECT coalesce(cl.collname::text, '') FROM generate_series(0, x.indnkeyatts - 1) k
                   LEFT JOIN pg_collation cl ON cl.oid = x.indcollation[k] ORDER BY k) AS collations,
           ARRAY(SELECT x.indoption[k]::int FROM generate_series(0, x.indnkeyatts - 1) k ORDER BY k) AS options,
           ARRAY(SELECT x.indkey[k]::int FROM generate_series(0, x.indnkeyatts - 1) k ORDER BY k) AS attnums,
           pg_get_expr(x.indpred, x.indrelid, true) AS predicate,
           co.conname AS constraint_name,
           i.relname ~ '^[a-z_][a-z0-9_]*$' AS plain_name,
           i.oid::text AS oid, x.indisvalid AS is_valid, x.indimmediate AS is_immediate, coalesce(i.reloptions, '{}') AS reloptions,
           ARRAY(SELECT k.op::regoperator::text FROM unnest(CASE WHEN co.contype = 'x' THEN co.conexclop END) WITH ORDINALITY k(op, ord) ORDER BY k.ord) AS exclusion_operators,
           coalesce(fk.names, '{}') AS foreign_keys
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      JOIN pg_am am ON am.oid = i.relam
      -- pg_constraint has no index on conindid: joined (hashed) once, not searched once per index.
      LEFT JOIN pg_constraint co ON co.conindid = i.oid AND co.conrelid = x.indrelid AND co.contype IN ('p', 'u', 'x')
      LEFT JOIN (SELECT conindid, array_agg(conname::text ORDER BY conname) AS names FROM pg_constraint WHERE contype = 'f' GROUP BY conindid) fk ON fk.conindid = i.oid
     WHERE t.relkind IN ('r', 'p', 'm') AND n.nspname = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.oid)
       AND ${notExtensionMember('t.oid', 'pg_class')}
     ORDER BY 1, 3`,
  toObjects: (rows) =>
    rows.map((r) => ({
      kind: 'index',
      key: qualify(r.schema, r.name),
      table: qualify(r.schema, r.table),
      name: r.name,
      attributes: { definition: r.definition },
      info: {
        method: r.method,
        unique: r.is_unique,
        primary: r.is_primary,
        exclusion: r.is_exclusion,
        nullsNotDistinct: r.nulls_not_distinct,
        keyColumns: r.columns.slice(0, r.key_count),
        includeColumns: r.columns.slice(r.key_count),
        opclasses: r.opclasses,
        collations: r.collations,
        options: r.options,
        attnums: r.attnums,
        predicate: r.predicate ?? null,
        constraint: r.constraint_name ?? null,
        // For the redundant-index rules: creation order (oids grow), validity (a failed CREATE INDEX CONCURRENTLY
        // leaves an invalid index on a live database), deferrable uniqueness, what an exclusion constraint
        // enforces, foreign keys that depend on the index, and storage options (pages_per_range, …).
        createdOrder: Number(r.oid),
        valid: r.is_valid,
        immediate: r.is_immediate,
        exclusionOperators: r.exclusion_operators,
        foreignKeys: r.foreign_keys,
        reloptions: r.reloptions,
      },
    })),
};
