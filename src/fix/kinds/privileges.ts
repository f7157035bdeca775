import { infoOf } from '../fix-statement.js';
import type { CatalogObject } from '../../catalog/catalog-object.js';
import { statement, type KindGenerator, type PlanContext } from '../fix-statement.js';
import { ident, splitKey, sqlName } from '../sql-names.js';

/** The privilege's object type → the word GRANT and ALTER … OWNER use. */
const GRANT_ON: Record<string, string> = {
  table: 'TABLE', view: 'TABLE', 'materialized view': 'TABLE', sequence: 'SEQUENCE', function: 'FUNCTION',
  procedure: 'PROCEDURE', schema: 'SCHEMA', type: 'TYPE', domain: 'DOMAIN',
};
const ALTER_OWNER: Record<string, string> = {
  table: 'TABLE', view: 'VIEW', 'materialized view': 'MATERIALIZED VIEW', sequence: 'SEQUENCE', function: 'FUNCTION',
  procedure: 'PROCEDURE', schema: 'SCHEMA', type: 'TYPE', domain: 'DOMAIN',
};

function grantee(privilege: CatalogObject): string {
  return privilege.name === 'PUBLIC' ? 'PUBLIC' : ident(privilege.name);
}

/** `public.items.sku` of a column grant → `(sku) ON TABLE public.items`; anything else → `ON <TYPE> name`. */
function target(privilege: CatalogObject): { on: string; columns: string } {
  const type = String(privilege.attributes.on);
  const object = String(infoOf(privilege)?.object);
  if (type === 'column') {
    const { parts } = splitKey(object);
    return { on: `TABLE ${parts.slice(0, -1).map((p) => ident(p)).join('.')}`, columns: ` (${ident(parts[parts.length - 1])})` };
  }
  return { on: `${GRANT_ON[type] ?? type.toUpperCase()} ${sqlName(object)}`, columns: '' };
}

function ownerSql(privilege: CatalogObject, owner: string): string {
  const type = String(privilege.attributes.on);
  return `ALTER ${ALTER_OWNER[type] ?? type.toUpperCase()} ${sqlName(String(infoOf(privilege)?.object))} OWNER TO ${owner}`;
}

function grantSql(privilege: CatalogObject, list: string[]): string[] {
  const { on, columns } = target(privilege);
  const plain = list.filter((p) => p !== 'OWNER' && !p.endsWith(' WITH GRANT OPTION'));
  const withOption = list.filter((p) => p.endsWith(' WITH GRANT OPTION')).map((p) => p.replace(/ WITH GRANT OPTION$/, ''));
  const grant = (privileges: string[], suffix: string) => (privileges.length ? [`GRANT ${privileges.map((p) => `${p}${columns}`).join(', ')} ON ${on} TO ${grantee(privilege)}${suffix}`] : []);
  return [...grant(plain, ''), ...grant(withOption, ' WITH GRANT OPTION')];
}

/** Privileges named without their grant option: REVOKE takes the privilege itself. */
function revokeSql(privilege: CatalogObject, list: string[]): string[] {
  const { on, columns } = target(privilege);
  const names = [...new Set(list.filter((p) => p !== 'OWNER').map((p) => p.replace(/ WITH GRANT OPTION$/, '')))];
  return names.length ? [`REVOKE ${names.map((p) => `${p}${columns}`).join(', ')} ON ${on} FROM ${grantee(privilege)}`] : [];
}

/**
 * Revoking a privilege on a table also revokes it on each of its columns: the reference's column grants to
 * the same grantee are granted again after it.
 */
function columnGrantsAgain(privilege: CatalogObject, ctx: PlanContext): string[] {
  if (privilege.attributes.on === 'column') return [];
  const object = String(infoOf(privilege)?.object);
  return [...(ctx.reference.get('privilege')?.values() ?? [])]
    .filter((p) => p.attributes.on === 'column' && p.name === privilege.name && String(infoOf(p)?.object).startsWith(`${object}.`))
    .flatMap((p) => grantSql(p, (p.attributes.privileges as string[]) ?? []));
}

function list(privilege: CatalogObject): string[] {
  return (privilege.attributes.privileges as string[]) ?? [];
}

export const privilegeGenerator: KindGenerator = {
  kind: 'privilege',
  create(privilege) {
    const sql = [...(list(privilege).includes('OWNER') ? [ownerSql(privilege, grantee(privilege))] : []), ...grantSql(privilege, list(privilege))];
    return sql.map((text) => statement(privilege, 'create', text));
  },
  drop(privilege, ctx) {
    const revokes = revokeSql(privilege, list(privilege));
    // Owned by another role on the migrations side only: the reference's objects belong to whoever ran it.
    const owner = list(privilege).includes('OWNER') ? [ownerSql(privilege, 'CURRENT_USER')] : [];
    const again = revokes.length ? columnGrantsAgain(privilege, ctx) : [];
    return [...revokes, ...owner].map((text) => statement(privilege, 'drop', text)).concat(again.map((text) => statement(privilege, 'alter', text)));
  },
  /** Only what differs is revoked and granted. */
  alter(wanted, current, _changed, ctx) {
    const want = list(wanted);
    const have = list(current);
    const sql: string[] = [];
    if (want.includes('OWNER') !== have.includes('OWNER')) sql.push(ownerSql(wanted, want.includes('OWNER') ? grantee(wanted) : 'CURRENT_USER'));
    const revoked = revokeSql(current, have.filter((p) => !want.includes(p)));
    sql.push(...revoked, ...grantSql(wanted, want.filter((p) => !have.includes(p) || revoked.length > 0)));
    if (revoked.length) sql.push(...columnGrantsAgain(wanted, ctx));
    return sql.map((text) => statement(wanted, 'alter', text));
  },
};
