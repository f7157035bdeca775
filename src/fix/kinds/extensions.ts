import { objectId } from '../../catalog/dependencies.js';
import { statement, type KindGenerator } from '../fix-statement.js';
import { ident } from '../sql-names.js';

export const extensionGenerator: KindGenerator = {
  kind: 'extension',
  create: (extension) => [
    statement(extension, 'create', `CREATE EXTENSION IF NOT EXISTS ${ident(extension.name)} WITH SCHEMA ${ident(String(extension.attributes.schema))}`, {
      needs: [objectId('schema', String(extension.attributes.schema))],
    }),
  ],
  drop: (extension) => [statement(extension, 'drop', `DROP EXTENSION ${ident(extension.name)}`, { dataLoss: `drops extension ${extension.name} with every object it provides` })],
  alter: (wanted) => [
    statement(wanted, 'alter', `ALTER EXTENSION ${ident(wanted.name)} SET SCHEMA ${ident(String(wanted.attributes.schema))}`, { needs: [objectId('schema', String(wanted.attributes.schema))] }),
  ],
};
