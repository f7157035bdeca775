import { parsePlPgSQLSync, parseSync } from 'libpg-query';

/** The roles one statement names, read from its parse tree. */
export interface StatementRoles {
  /** Roles the statement needs to exist: OWNER TO, GRANT … TO, FOR ROLE, AUTHORIZATION, SET ROLE, policies TO, … */
  referenced: Set<string>;
  /** Roles the statement creates (CREATE ROLE/USER/GROUP, also inside a DO block). */
  created: Set<string>;
}

/**
 * Every role a statement names, wherever Postgres accepts a role: each RoleSpec in the tree (OWNER TO, GRANT
 * and REVOKE, ALTER DEFAULT PRIVILEGES FOR ROLE, CREATE SCHEMA … AUTHORIZATION, policies' TO, REASSIGN OWNED,
 * CREATE ROLE … IN ROLE, ALTER ROLE, user mappings), the roles GRANT role TO … grants, SET ROLE and SET SESSION
 * AUTHORIZATION, and the statements of a PL/pgSQL DO block (its SQL and EXECUTE of a constant string).
 * Parser call must have been loaded (loadParser) before.
 */
export function statementRoles(type: string, node: Record<string, any>): StatementRoles {
  const roles: StatementRoles = { referenced: new Set(), created: new Set() };
  addStatement(type, node, roles);
  for (const role of roles.created) roles.referenced.delete(role);
  return roles;
}

function addStatement(type: string, node: Record<string, any>, into: StatementRoles): void {
  if (type === 'CreateRoleStmt' && typeof node.role === 'string') into.created.add(node.role);
  if (type === 'GrantRoleStmt') {
    for (const item of node.granted_roles ?? []) {
      const name = item?.AccessPriv?.priv_name;
      if (typeof name === 'string') into.referenced.add(name);
    }
  }
  if (type === 'VariableSetStmt' && (node.name === 'role' || node.name === 'session_authorization')) {
    const value = node.args?.[0]?.A_Const?.sval?.sval;
    // SET ROLE NONE / RESET ROLE name no role.
    if (typeof value === 'string' && value.toLowerCase() !== 'none') into.referenced.add(value);
  }
  if (type === 'DoStmt') addDoBlock(node, into);
  addRoleSpecs(node, into.referenced);
}

/** Every RoleSpec that names a role (not PUBLIC, CURRENT_USER, …), wrapped as a node or held directly in a field. */
function addRoleSpecs(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) addRoleSpecs(item, into);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const spec = node as { roletype?: unknown; rolename?: unknown };
  if (spec.roletype === 'ROLESPEC_CSTRING' && typeof spec.rolename === 'string') {
    into.add(spec.rolename);
    return;
  }
  for (const value of Object.values(node)) addRoleSpecs(value, into);
}

/**
 * A DO block's body, parsed as the PL/pgSQL it is (a DO block in another language is opaque). Its SQL
 * statements and EXECUTEs of constant text (a literal, or format() of literals) are read as statements.
 */
function addDoBlock(node: Record<string, any>, into: StatementRoles): void {
  let body: string | undefined;
  let language = 'plpgsql';
  for (const arg of node.args ?? []) {
    const def = arg?.DefElem;
    if (def?.defname === 'as') body = def.arg?.String?.sval;
    if (def?.defname === 'language') language = String(def.arg?.String?.sval ?? '').toLowerCase();
  }
  if (body === undefined || language !== 'plpgsql') return;
  let tree: unknown;
  try {
    // libpg_query parses PL/pgSQL as the body of a function; a DO block is one without arguments.
    const tag = '$verify_schema_do$';
    if (body.includes(tag)) return;
    tree = parsePlPgSQLSync(`CREATE FUNCTION verify_schema_do() RETURNS void LANGUAGE plpgsql AS ${tag}${body}${tag}`);
  } catch {
    // Postgres itself reports a broken block when it runs; here it simply names no role.
    return;
  }
  for (const sql of plpgsqlStatements(tree)) addSql(sql, into);
}

/** The SQL a PL/pgSQL tree runs: embedded statements, and EXECUTE of text known without running anything. */
function plpgsqlStatements(tree: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Record<string, any>;
    const execsql = node.PLpgSQL_stmt_execsql?.sqlstmt?.PLpgSQL_expr?.query;
    if (typeof execsql === 'string') out.push(execsql);
    const dynamic = node.PLpgSQL_stmt_dynexecute?.query?.PLpgSQL_expr?.query;
    if (typeof dynamic === 'string') {
      const text = constantText(dynamic);
      if (text !== undefined) out.push(text);
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(tree);
  return out;
}

/** The value of an expression that is a string literal, or format() of literals with %I/%s/%L (no variables). */
function constantText(expression: string): string | undefined {
  let target: any;
  try {
    target = (parseSync(`SELECT ${expression}`) as any).stmts?.[0]?.stmt?.SelectStmt?.targetList?.[0]?.ResTarget?.val;
  } catch {
    return undefined;
  }
  const literal = (n: any): string | undefined => (typeof n?.A_Const?.sval?.sval === 'string' ? n.A_Const.sval.sval : undefined);
  if (literal(target) !== undefined) return literal(target);
  const call = target?.FuncCall;
  const name = call?.funcname?.map((n: any) => n?.String?.sval).join('.');
  if (name !== 'format' && name !== 'pg_catalog.format') return undefined;
  const args: (string | undefined)[] = (call.args ?? []).map(literal);
  if (args.length === 0 || args.some((a) => a === undefined)) return undefined;
  const [pattern, ...values] = args as string[];
  let next = 0;
  return pattern.replace(/%([%ILs])/g, (_, kind: string) => {
    if (kind === '%') return '%';
    const value = values[next++] ?? '';
    if (kind === 'I') return /^[a-z_][a-z0-9_$]*$/.test(value) ? value : `"${value.replace(/"/g, '""')}"`;
    if (kind === 'L') return `'${value.replace(/'/g, "''")}'`;
    return value;
  });
}

function addSql(sql: string, into: StatementRoles): void {
  let tree: any;
  try {
    tree = parseSync(sql);
  } catch {
    return;
  }
  for (const raw of tree.stmts ?? []) {
    const type = Object.keys(raw.stmt ?? {})[0];
    if (type) addStatement(type, raw.stmt[type] ?? {}, into);
  }
}
