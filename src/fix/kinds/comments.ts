import { infoOf } from '../fix-statement.js';
import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { statement, type KindGenerator } from '../fix-statement.js';
import { literal } from '../sql-names.js';

/** pg_identify_object's type → what COMMENT ON calls it. */
const TARGETS: Record<string, string> = {
  'table column': 'COLUMN',
  'table constraint': 'CONSTRAINT',
  'domain constraint': 'CONSTRAINT',
  'materialized view': 'MATERIALIZED VIEW',
};

/**
 * `COMMENT ON <type> <identity>`: the identity is pg_identify_object's, quoted by Postgres (`public.items.sku`,
 * `items_pkey on public.items`, `public.f(integer)`), which is the syntax COMMENT ON takes for each type.
 */
function commentOn(comment: CatalogObject, text: string | null): string {
  const type = String(comment.attributes.on);
  let identity = String(infoOf(comment)?.identity ?? comment.key);
  if (type === 'domain constraint') identity = identity.replace(/ on /, ' ON DOMAIN ');
  else identity = identity.replace(/ on (?=[^"]*$)/, ' ON ');
  return `COMMENT ON ${TARGETS[type] ?? type.toUpperCase()} ${identity} IS ${text === null ? 'NULL' : literal(text)}`;
}

function needs(comment: CatalogObject): string[] {
  const target = infoOf(comment)?.target as { kind: string; key: string } | undefined;
  return target ? [objectId(target.kind, target.key)] : [];
}

export const commentGenerator: KindGenerator = {
  kind: 'comment',
  create: (comment) => [statement(comment, 'create', commentOn(comment, String(comment.attributes.text)), { needs: needs(comment) })],
  drop: (comment) => [statement(comment, 'drop', commentOn(comment, null))],
  alter: (wanted) => [statement(wanted, 'alter', commentOn(wanted, String(wanted.attributes.text)), { needs: needs(wanted) })],
};
