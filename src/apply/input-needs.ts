import type { ParsedFile } from '../parse/parse-sql.js';

/** What the SQL of one side needs from the scratch database before it can run. */
export interface InputNeeds {
  /** Extension names from CREATE EXTENSION anywhere in the text (also inside DO blocks and EXECUTE strings). */
  extensions: Set<string>;
  /** The inputs call auth.uid()/jwt()/role()/email() without defining the auth schema themselves. */
  usesAuth: boolean;
  /** Role names the SQL refers to (TO …, GRANT … TO …, OWNER TO …). */
  referencedRoles: Set<string>;
  /** Role names the SQL creates itself. */
  createdRoles: Set<string>;
}

/** Supabase's API roles, part of the auth stand-in. */
export const SUPABASE_ROLES = ['anon', 'authenticated', 'service_role'];

const EXTENSION_RE = /create\s+extension\s+(?:if\s+not\s+exists\s+)?("?)([\w-]+)\1/gi;
const AUTH_CALL_RE = /\bauth\s*\.\s*(uid|jwt|role|email)\s*\(/i;
const AUTH_DEFINED_RE = /create\s+schema\s+(?:if\s+not\s+exists\s+)?"?auth"?\b/i;
const CREATE_ROLE_RE = /create\s+(?:role|user|group)\s+(?:if\s+not\s+exists\s+)?("?)([\w$]+)\1/gi;

export function analyzeInputs(files: ParsedFile[]): InputNeeds {
  const needs: InputNeeds = { extensions: new Set(), usesAuth: false, referencedRoles: new Set(), createdRoles: new Set() };
  let definesAuth = false;
  for (const { file, included, statements } of files) {
    const text = [file, ...(included ?? [])].map((f) => f.text).join('\n');
    for (const m of text.matchAll(EXTENSION_RE)) needs.extensions.add(m[1] ? m[2] : m[2].toLowerCase());
    if (AUTH_CALL_RE.test(text)) needs.usesAuth = true;
    if (AUTH_DEFINED_RE.test(text)) definesAuth = true;
    // Roles created in DO blocks (`IF NOT EXISTS … THEN CREATE ROLE …`) count as created by the SQL.
    for (const m of text.matchAll(CREATE_ROLE_RE)) needs.createdRoles.add(m[1] ? m[2] : m[2].toLowerCase());
    for (const statement of statements) {
      if (statement.type === 'CreateRoleStmt' && statement.node.role) needs.createdRoles.add(statement.node.role);
      collectRoleNames(statement.node, needs.referencedRoles);
    }
  }
  if (definesAuth) needs.usesAuth = false;
  return needs;
}

/** Every RoleSpec naming a role (not PUBLIC, CURRENT_USER, …) anywhere in a parse tree. */
function collectRoleNames(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRoleNames(item, into);
    return;
  }
  if (!node || typeof node !== 'object') return;
  // `OWNER TO x` holds its RoleSpec unwrapped (newowner: { roletype, rolename }).
  const bare = node as { roletype?: string; rolename?: string };
  if (bare.roletype === 'ROLESPEC_CSTRING' && bare.rolename) into.add(bare.rolename);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'RoleSpec') {
      const spec = value as { roletype?: string; rolename?: string };
      if (spec.roletype === 'ROLESPEC_CSTRING' && spec.rolename) into.add(spec.rolename);
    } else collectRoleNames(value, into);
  }
}

export function mergeNeeds(a: InputNeeds, b: InputNeeds): InputNeeds {
  return {
    extensions: new Set([...a.extensions, ...b.extensions]),
    usesAuth: a.usesAuth || b.usesAuth,
    referencedRoles: new Set([...a.referencedRoles, ...b.referencedRoles]),
    createdRoles: new Set([...a.createdRoles, ...b.createdRoles]),
  };
}
