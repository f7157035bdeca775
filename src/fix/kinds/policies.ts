import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { statement, type KindGenerator } from '../fix-statement.js';
import { expressionSql } from '../sql-expression.js';
import { ident, sqlName } from '../sql-names.js';

/** `TO authenticated, "Admin"`: PUBLIC is a keyword, every other role a quoted-as-needed name. */
function roles(policy: CatalogObject): string {
  const list = (policy.attributes.roles as string[]) ?? [];
  return list.map((r) => (r === 'public' ? 'PUBLIC' : ident(r))).join(', ');
}

function clauses(policy: CatalogObject): string {
  const a = policy.attributes;
  return [a.using !== null ? ` USING (${expressionSql(String(a.using))})` : '', a.withCheck !== null ? ` WITH CHECK (${expressionSql(String(a.withCheck))})` : ''].join('');
}

export const policyGenerator: KindGenerator = {
  kind: 'policy',
  create(policy) {
    const a = policy.attributes;
    const sql = `CREATE POLICY ${ident(policy.name)} ON ${sqlName(policy.table!)} AS ${a.permissive} FOR ${a.command} TO ${roles(policy)}${clauses(policy)}`;
    return [statement(policy, 'create', sql, { needs: [objectId('table', policy.table!)] })];
  },
  drop(policy) {
    return [statement(policy, 'drop', `DROP POLICY ${ident(policy.name)} ON ${sqlName(policy.table!)}`)];
  },
  /** ALTER POLICY changes roles and expressions; the command, the kind, or removing a clause needs a new policy. */
  alter(wanted, current, changed) {
    const a = wanted.attributes;
    if (changed.includes('command') || changed.includes('permissive') || (a.using === null && current.attributes.using !== null) || (a.withCheck === null && current.attributes.withCheck !== null)) {
      return 'replace';
    }
    const parts = [changed.includes('roles') ? ` TO ${roles(wanted)}` : '', changed.includes('using') ? ` USING (${expressionSql(String(a.using))})` : '', changed.includes('withCheck') ? ` WITH CHECK (${expressionSql(String(a.withCheck))})` : ''].join('');
    return [statement(wanted, 'alter', `ALTER POLICY ${ident(wanted.name)} ON ${sqlName(wanted.table!)}${parts}`)];
  },
  rename(wanted, current) {
    return [statement(current, 'rename', `ALTER POLICY ${ident(current.name)} ON ${sqlName(current.table!)} RENAME TO ${ident(wanted.name)}`, { provides: [objectId('policy', wanted.key)] })];
  },
};
