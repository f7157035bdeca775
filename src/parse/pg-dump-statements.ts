import type { ParsedStatement } from './parse-sql.js';

/**
 * A schema file is often pg_dump output, which assumes it is restored into an empty database created from
 * template0 — except for the `public` schema, which pg_dump writes as `CREATE SCHEMA public;` (with
 * `--schema public`, or when it was recreated) although every new database already has it. Such a statement
 * runs as `CREATE SCHEMA IF NOT EXISTS public`: it states that the schema exists, which it does. Its owner and
 * comment follow in their own statements (`ALTER SCHEMA public OWNER TO …`), which run as written.
 */
export function adaptDumpStatement(statement: ParsedStatement): ParsedStatement {
  const n = statement.node;
  if (statement.type === 'CreateSchemaStmt' && n.schemaname === 'public' && !n.if_not_exists && !n.authrole && !(n.schemaElts?.length > 0)) {
    return { ...statement, sql: 'CREATE SCHEMA IF NOT EXISTS public' };
  }
  return statement;
}
