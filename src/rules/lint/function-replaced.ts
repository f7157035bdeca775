import { payloadOf, type CatalogObject } from '../../catalog/catalog-object.js';
import { functions } from '../../catalog/kinds/functions.js';
import type { ScratchDatabase } from '../../engine/scratch-database.js';
import type { ParsedStatement } from '../../parse/parse-sql.js';
import type { LintRule } from './lint-rule.js';
import { hitAt } from './hit.js';
import { listName } from './statement-relations.js';

/**
 * `function-replaced`: `CREATE OR REPLACE FUNCTION` replaced an existing function of the same signature with
 * a different definition. The old one may be someone else's (a shared trigger function like
 * update_updated_at_column()); every caller now runs the new one. Definitions are compared as the check
 * compares them (body by meaning, see normalizeFunctionBody), so re-creating an identical function is not
 * reported. Traced only: whether a function existed is not in the statement text.
 */
export const functionReplaced: LintRule = {
  code: 'function-replaced',
  severity: 'warning',
  title: 'CREATE OR REPLACE FUNCTION replaced an existing function with a different definition',
  create: () => ({
    async prepare(statement, db, versionNum) {
      if (!isReplace(statement)) return undefined;
      return readFunctions(statement, db, versionNum);
    },
    async check(facts, prepared) {
      const before = prepared as Map<string, CatalogObject> | undefined;
      if (!before?.size || !facts.db) return [];
      const after = await readFunctions(facts.statement, facts.db, facts.versionNum);
      const changed = [...after].filter(([key, fn]) => before.has(key) && comparable(before.get(key)!) !== comparable(fn));
      return changed.map(([key, fn]) => {
        const old = before.get(key)!;
        const fields = Object.keys(fn.attributes).filter((k) => k !== 'body' && JSON.stringify(old.attributes[k]) !== JSON.stringify(fn.attributes[k]));
        if (bodyOf(old) !== bodyOf(fn)) fields.push('body');
        return hitAt(
          facts,
          key,
          `CREATE OR REPLACE FUNCTION replaced ${key}, which existed before this statement with a different ${fields.join(', ')}: every trigger, policy and caller that used the old definition now runs the new one`,
          'If the function may belong to someone else (another migration, an extension, a shared helper), give yours its own name; if replacing it is intended, check every trigger and caller of the old definition',
        );
      });
    },
  }),
};

function isReplace(statement: ParsedStatement): boolean {
  return statement.type === 'CreateFunctionStmt' && statement.node.replace === true;
}

/** The functions of the statement's name in its schema (or every schema of the search_path), as the check reads them. */
async function readFunctions(statement: ParsedStatement, db: ScratchDatabase, versionNum: number): Promise<Map<string, CatalogObject>> {
  const name = listName(statement.node.funcname ?? []);
  const schemas = name.schema
    ? [name.schema]
    : ((await db.query<{ schemas: string[] }>('SELECT pg_catalog.current_schemas(false) AS schemas'))[0]?.schemas ?? []);
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM (${functions.query({ versionNum })}) f WHERE f.name = $2`, [schemas, name.name]);
  const objects = await functions.toObjects(rows);
  return new Map(objects.map((o) => [o.key, o]));
}

function bodyOf(fn: CatalogObject): string {
  return String(payloadOf(fn, 'function')?.comparable.body ?? fn.attributes.body);
}

function comparable(fn: CatalogObject): string {
  return JSON.stringify({ ...fn.attributes, body: bodyOf(fn) });
}
