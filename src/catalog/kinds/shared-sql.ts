/** SQL fragments every kind's query shares. */

/** Objects that belong to an extension are the extension's business, never reported one by one. */
export function notExtensionMember(oidExpr: string, catalog: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oidExpr} AND d.deptype = 'e')`;
}
