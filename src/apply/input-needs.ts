import type { ParsedFile } from '../parse/parse-sql.js';
import { statementRoles } from '../parse/statement-roles.js';

/** What the SQL of one side needs from the scratch database before it can run. */
export interface InputNeeds {
  /** Extension names from CREATE EXTENSION anywhere in the text (also inside DO blocks and EXECUTE strings). */
  extensions: Set<string>;
  /** The inputs call auth.uid()/jwt()/role()/email() without defining the auth schema themselves. */
  usesAuth: boolean;
  /** Role names the SQL refers to wherever Postgres accepts a role (see statementRoles). */
  referencedRoles: Set<string>;
  /** Role names the SQL creates itself (also in DO blocks). */
  createdRoles: Set<string>;
}

/** Supabase's API roles, part of the auth stand-in. */
export const SUPABASE_ROLES = ['anon', 'authenticated', 'service_role'];

const EXTENSION_RE = /create\s+extension\s+(?:if\s+not\s+exists\s+)?("?)([\w-]+)\1/gi;
const AUTH_CALL_RE = /\bauth\s*\.\s*(uid|jwt|role|email)\s*\(/i;
const AUTH_DEFINED_RE = /create\s+schema\s+(?:if\s+not\s+exists\s+)?"?auth"?\b/i;

export function analyzeInputs(files: ParsedFile[]): InputNeeds {
  const needs: InputNeeds = { extensions: new Set(), usesAuth: false, referencedRoles: new Set(), createdRoles: new Set() };
  let definesAuth = false;
  for (const { file, included, statements } of files) {
    const text = [file, ...(included ?? [])].map((f) => f.text).join('\n');
    for (const m of text.matchAll(EXTENSION_RE)) needs.extensions.add(m[1] ? m[2] : m[2].toLowerCase());
    if (AUTH_CALL_RE.test(text)) needs.usesAuth = true;
    if (AUTH_DEFINED_RE.test(text)) definesAuth = true;
    for (const statement of statements) {
      const roles = statementRoles(statement.type, statement.node);
      for (const role of roles.created) needs.createdRoles.add(role);
      for (const role of roles.referenced) needs.referencedRoles.add(role);
    }
  }
  if (definesAuth) needs.usesAuth = false;
  return needs;
}

export function mergeNeeds(a: InputNeeds, b: InputNeeds): InputNeeds {
  return {
    extensions: new Set([...a.extensions, ...b.extensions]),
    usesAuth: a.usesAuth || b.usesAuth,
    referencedRoles: new Set([...a.referencedRoles, ...b.referencedRoles]),
    createdRoles: new Set([...a.createdRoles, ...b.createdRoles]),
  };
}
