import { statement, type KindGenerator } from '../fix-statement.js';
import { ident } from '../sql-names.js';

export const schemaGenerator: KindGenerator = {
  kind: 'schema',
  create: (schema) => [statement(schema, 'create', `CREATE SCHEMA ${ident(schema.name)}`)],
  // Without CASCADE: what the schema still holds is dropped by its own statements first (or the drop fails).
  drop: (schema) => [statement(schema, 'drop', `DROP SCHEMA ${ident(schema.name)}`)],
  alter: () => [],
};
