import { qualify, type CatalogKind } from '../catalog-object.js';
import { normalizeFunctionBody } from '../normalize-body.js';
import { notExtensionMember } from './shared-sql.js';

const VOLATILITY: Record<string, string> = { i: 'IMMUTABLE', s: 'STABLE', v: 'VOLATILE' };
const PARALLEL: Record<string, string> = { s: 'PARALLEL SAFE', r: 'PARALLEL RESTRICTED', u: 'PARALLEL UNSAFE' };
const KINDS: Record<string, string> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' };

/**
 * Functions and procedures, identified as `schema.name(argument types)` like Postgres's regprocedure.
 * SQL and PL/pgSQL bodies are compared by parse tree (see normalizeFunctionBody); other languages byte for
 * byte. The PL/pgSQL parser needs the whole CREATE FUNCTION statement, which Postgres prints for us.
 */
/** What is compared instead of an attribute as printed: the body by its parse tree. */
export interface FunctionPayload {
  comparable: { body: string };
}

export const functions: CatalogKind<'function'> = {
  kind: 'function',
  fields: [
    { name: 'kind', label: 'kind' },
    { name: 'arguments', label: 'arguments' },
    { name: 'returns', label: 'return type' },
    { name: 'language', label: 'language' },
    { name: 'volatility', label: 'volatility' },
    { name: 'strict', label: 'strictness' },
    { name: 'securityDefiner', label: 'security' },
    { name: 'leakproof', label: 'leakproof' },
    { name: 'parallel', label: 'parallel safety' },
    { name: 'config', label: 'SET options' },
    { name: 'body', label: 'body', multiline: true },
  ],
  present: `EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY($1))`,
  query: (ctx) => `
    SELECT n.nspname AS schema, p.proname AS name, p.prokind AS kind,
           pg_catalog.oidvectortypes(p.proargtypes) AS argument_types,
           pg_get_function_arguments(p.oid) AS arguments,
           CASE WHEN p.prokind = 'p' THEN NULL ELSE pg_get_function_result(p.oid) END AS returns,
           l.lanname AS language, p.provolatile AS volatility, p.proisstrict AS strict, p.prosecdef AS security_definer,
           p.proleakproof AS leakproof, p.proparallel AS parallel, p.proconfig AS config,
           ${ctx.versionNum >= 140000 ? `CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) ELSE p.prosrc END` : 'p.prosrc'} AS body,
           pg_get_functiondef(p.oid) AS definition
      FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_language l ON l.oid = p.prolang
     WHERE n.nspname = ANY($1) AND p.prokind IN ('f', 'p', 'w')
       AND ${notExtensionMember('p.oid', 'pg_proc')}
       -- Functions Postgres makes for a type (range constructors) are part of that type.
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
     ORDER BY 1, 2, 4`,
  toObjects: (rows) =>
    rows.map((r) => {
      const body: string = r.body ?? '';
      const comparableBody = normalizeFunctionBody(r.language, body, r.language === 'plpgsql' ? (r.definition ?? undefined) : undefined);
      return {
        kind: 'function',
        key: `${qualify(r.schema, r.name)}(${r.argument_types})`,
        name: r.name,
        attributes: {
          kind: KINDS[r.kind] ?? r.kind,
          arguments: r.arguments,
          returns: r.returns ?? null,
          language: r.language,
          volatility: VOLATILITY[r.volatility] ?? r.volatility,
          strict: r.strict ? 'STRICT' : 'CALLED ON NULL INPUT',
          securityDefiner: r.security_definer ? 'SECURITY DEFINER' : 'SECURITY INVOKER',
          leakproof: r.leakproof,
          parallel: PARALLEL[r.parallel] ?? r.parallel,
          config: r.config ? [...r.config].sort() : null,
          body: body.trim(),
        },
        // The whole CREATE statement as Postgres prints it: what a fix recreates the function from.
        info: { comparable: { body: comparableBody }, definition: r.definition },
      };
    }),
};
