import { qualify, type AttributeValue, type CatalogKind } from '../catalog-object.js';
import { notExtensionMember } from './shared-sql.js';

/**
 * Columns, compared as Postgres prints them: `format_type` turns int/integer/int4 into one spelling, and
 * `pg_get_expr` prints defaults and generation expressions in canonical form.
 */
/** A column's position and whether a partition inherits it from its parent (then the parent's is reported). */
export interface ColumnPayload {
  position: number;
  inherited: boolean;
}

export const columns: CatalogKind<'column'> = {
  kind: 'column',
  fields: [
    { name: 'type', label: 'type' },
    { name: 'nullable', label: 'nullability' },
    { name: 'default', label: 'default' },
    { name: 'identity', label: 'identity' },
    { name: 'generated', label: 'generated expression' },
    { name: 'collation', label: 'collation' },
  ],
  query: (ctx) => `
    SELECT n.nspname AS schema, c.relname AS table, a.attname AS name, a.attnum AS position,
           format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
           ${ctx.versionNum >= 120000 ? `CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END` : 'pg_get_expr(d.adbin, d.adrelid)'} AS default_expr,
           ${ctx.versionNum >= 120000 ? `CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END` : 'NULL'} AS generated,
           a.attidentity AS identity,
           CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation,
           (SELECT ARRAY[s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text, s.seqcache::text, s.seqcycle::text,
                         CASE s.seqtypid WHEN 'int2'::regtype THEN '32767' WHEN 'int4'::regtype THEN '2147483647' ELSE '9223372036854775807' END]
              FROM pg_depend sd JOIN pg_sequence s ON s.seqrelid = sd.objid
             WHERE a.attidentity <> '' AND sd.classid = 'pg_class'::regclass AND sd.refclassid = 'pg_class'::regclass
               AND sd.refobjid = a.attrelid AND sd.refobjsubid = a.attnum AND sd.deptype = 'i') AS identity_sequence,
           pa.attnum IS NOT NULL AS inherited, pa.attnotnull AS parent_not_null,
           ${ctx.versionNum >= 120000 ? `CASE WHEN pa.attgenerated = '' THEN pg_get_expr(pd.adbin, pd.adrelid) END` : 'pg_get_expr(pd.adbin, pd.adrelid)'} AS parent_default
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
      LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
      LEFT JOIN pg_inherits ih ON c.relispartition AND a.attinhcount > 0 AND ih.inhrelid = c.oid
      LEFT JOIN pg_attribute pa ON pa.attrelid = ih.inhparent AND pa.attname = a.attname
      LEFT JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
     WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
       AND n.nspname = ANY($1) AND ${notExtensionMember('c.oid', 'pg_class')}
     ORDER BY 1, 2, a.attnum`,
  toObjects: (rows) =>
    rows.map((r) => {
      const attributes = {
        type: r.type,
        nullable: r.not_null ? 'NOT NULL' : 'NULL',
        default: r.default_expr ?? null,
        identity: r.identity === 'a' || r.identity === 'd' ? `GENERATED ${r.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${identityOptions(r.identity_sequence)}` : null,
        generated: r.generated ?? null,
        collation: r.collation ?? null,
      };
      return {
        kind: 'column',
        key: qualify(r.schema, r.table, r.name),
        table: qualify(r.schema, r.table),
        name: r.name,
        attributes: r.inherited ? relativeToParent(attributes, r) : attributes,
        info: { position: r.position, inherited: r.inherited },
      };
    }),
};

/**
 * A column a partition inherits has its partitioned table's type, identity, generation and collation, and
 * gets its default and NOT NULL copied: comparing those again would repeat every finding of the parent's
 * column once per partition. Only what the partition sets differently (its own default or NOT NULL) stays.
 */
function relativeToParent(attributes: Record<string, AttributeValue>, r: Record<string, any>): Record<string, AttributeValue> {
  const parentNullable = r.parent_not_null ? 'NOT NULL' : 'NULL';
  return {
    type: SAME_AS_PARENT,
    nullable: attributes.nullable === parentNullable ? SAME_AS_PARENT : attributes.nullable,
    default: attributes.default === (r.parent_default ?? null) ? SAME_AS_PARENT : attributes.default,
    identity: SAME_AS_PARENT,
    generated: SAME_AS_PARENT,
    collation: SAME_AS_PARENT,
  };
}

const SAME_AS_PARENT = 'same as partitioned table';

/**
 * The options of an identity column's sequence that differ from what Postgres picks when none are given,
 * as ` (START WITH 1000)`; empty for a plain identity column. (Its sequence is not a sequence finding: the
 * column owns it and its name is generated.)
 */
function identityOptions(sequence: string[] | null): string {
  if (!sequence) return '';
  const [start, increment, min, max, cache, cycle, typeMax] = sequence;
  const ascending = !increment.startsWith('-');
  const defaultMin = ascending ? '1' : `-${BigInt(typeMax) + 1n}`;
  const defaultMax = ascending ? typeMax : '-1';
  const options = [
    start !== (ascending ? min : max) && `START WITH ${start}`,
    increment !== '1' && `INCREMENT BY ${increment}`,
    min !== defaultMin && `MINVALUE ${min}`,
    max !== defaultMax && `MAXVALUE ${max}`,
    cache !== '1' && `CACHE ${cache}`,
    cycle === 'true' && 'CYCLE',
  ].filter(Boolean);
  return options.length ? ` (${options.join(' ')})` : '';
}
