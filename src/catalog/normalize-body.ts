import { parsePlPgSQLSync, parseSync, scanSync } from 'libpg-query';

/**
 * Function bodies compared by meaning, not bytes. SQL bodies become their parse tree and PL/pgSQL bodies
 * their PL/pgSQL parse tree (with every embedded SQL expression parsed too), source positions removed: layout,
 * comments, keyword case, redundant parentheses and type spellings (`int`/`integer`) disappear, while any
 * change of logic — an operator, a constant, a condition, a statement — changes the tree. Whatever the parser
 * cannot read falls back to the token stream (normalizeSqlTokens). Callers must have loaded the parser
 * (loadParser()).
 */
export function normalizeFunctionBody(language: string, body: string, definition?: string): string {
  if (language === 'sql') return normalizeSql(body);
  if (language === 'plpgsql' && definition) {
    try {
      return `plpgsql:${JSON.stringify(canonicalPlpgsql(parsePlPgSQLSync(definition)))}`;
    } catch {
      return normalizeSqlTokens(body);
    }
  }
  if (language === 'plpgsql') return normalizeSqlTokens(body);
  return body;
}

/** A SQL text as its parse tree without positions; the token stream when it does not parse on its own. */
export function normalizeSql(sql: string): string {
  try {
    return `tree:${JSON.stringify(withoutPositions(parseSync(sql)))}`;
  } catch {
    return normalizeSqlTokens(sql);
  }
}

/**
 * The token stream without whitespace and comments, keywords and unquoted identifiers in lower case
 * (Postgres folds them), string constants and quoted identifiers untouched.
 */
export function normalizeSqlTokens(sql: string): string {
  try {
    const { tokens } = scanSync(sql);
    const parts: string[] = [];
    for (const t of tokens) {
      if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') continue;
      const folds = t.keywordKind > 0 || t.tokenName === 'IDENT';
      parts.push(folds ? t.text.toLowerCase() : t.text);
    }
    return `tokens:${parts.join(' ')}`;
  } catch {
    // The lexer accepts almost anything; if it does not, compare whitespace-collapsed text.
    return `text:${sql.trim().replace(/\s+/g, ' ')}`;
  }
}

const POSITION_KEYS = new Set(['location', 'stmt_location', 'stmt_len', 'lineno', 'version']);

function withoutPositions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutPositions);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (!POSITION_KEYS.has(key)) out[key] = withoutPositions(value);
  return out;
}

/**
 * PL/pgSQL parse tree without line numbers; the SQL it embeds as text (expressions, queries, assignments,
 * declared types) replaced by its own normalised form. `datums` are the variables of the function being read.
 */
function canonicalPlpgsql(node: unknown, datums: unknown[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => canonicalPlpgsql(n, datums));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (POSITION_KEYS.has(key)) continue;
    if (key === 'PLpgSQL_function' && value && typeof value === 'object') {
      out[key] = canonicalPlpgsql(value, ((value as { datums?: unknown[] }).datums ?? []));
    } else if ((key === 'PLpgSQL_stmt_return' || key === 'PLpgSQL_stmt_return_next') && value && typeof value === 'object') {
      out[key] = canonicalPlpgsql(returnedVariableAsExpression(value as Record<string, unknown>, datums), datums);
    } else if (key === 'PLpgSQL_expr' && value && typeof value === 'object') {
      const { query, parseMode } = value as { query?: string; parseMode?: number };
      out[key] = { ...(canonicalPlpgsql(value, datums) as object), query: typeof query === 'string' ? normalizeEmbedded(query, parseMode ?? 0) : query };
    } else if (key === 'PLpgSQL_type' && value && typeof value === 'object') {
      const { typname } = value as { typname?: string };
      out[key] = { ...(canonicalPlpgsql(value, datums) as object), typname: typeof typname === 'string' ? normalizeTypeName(typname) : typname };
    } else out[key] = canonicalPlpgsql(value, datums);
  }
  return out;
}

/**
 * `RETURN NEW` parses as "return variable 0" but `RETURN (NEW)` as the expression `(NEW)`: the same value.
 * A returned variable becomes the expression that names it, so both read the same once expressions are
 * normalised (and a variable is known by its name, not its number among the declarations).
 */
function returnedVariableAsExpression(statement: Record<string, unknown>, datums: unknown[]): Record<string, unknown> {
  const { retvarno, ...rest } = statement;
  if (typeof retvarno !== 'number') return statement;
  const datum = datums[retvarno] as { PLpgSQL_var?: { refname?: string }; PLpgSQL_rec?: { refname?: string } } | undefined;
  const name = datum?.PLpgSQL_var?.refname ?? datum?.PLpgSQL_rec?.refname;
  // Rows (OUT parameters returned by a bare RETURN) have no name an expression could use: keep the number.
  if (typeof name !== 'string') return statement;
  return { ...rest, expr: { PLpgSQL_expr: { query: quoteIdentifier(name), parseMode: 2 } } };
}

/** A name as a SQL identifier that reads back as exactly that name. */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** PL/pgSQL parse modes (RawParseMode): 0 a statement, 2 an expression, 3–5 an assignment `target := expr`. */
function normalizeEmbedded(query: string, parseMode: number): string {
  if (parseMode === 2) return normalizeSql(`SELECT ${query}`);
  if (parseMode >= 3 && parseMode <= 5) {
    const split = splitAssignment(query);
    if (split) return `${normalizeSqlTokens(split.target)} := ${normalizeSql(`SELECT ${split.value}`)}`;
    return normalizeSqlTokens(query);
  }
  return normalizeSql(query);
}

/** `NEW.updated_at := now()` → target and value, split at the first top-level `:=` or `=` token. */
function splitAssignment(query: string): { target: string; value: string } | undefined {
  try {
    const bytes = Buffer.from(query, 'utf8');
    const { tokens } = scanSync(query);
    let depth = 0;
    for (const t of tokens) {
      if (t.text === '(' || t.text === '[') depth++;
      else if (t.text === ')' || t.text === ']') depth--;
      else if (depth === 0 && (t.text === ':=' || t.text === '=')) {
        return { target: bytes.subarray(0, t.start).toString('utf8'), value: bytes.subarray(t.end).toString('utf8') };
      }
    }
  } catch {
    // fall through
  }
  return undefined;
}

/** A declared variable type (`int`, `varchar(10)`) in Postgres's own spelling, when it parses as a type. */
function normalizeTypeName(typname: string): string {
  try {
    const tree = parseSync(`SELECT NULL::${typname}`) as { stmts: Array<{ stmt: { SelectStmt: { targetList: Array<{ ResTarget: { val: { TypeCast: { typeName: unknown } } } }> } } }> };
    return JSON.stringify(withoutPositions(tree.stmts[0].stmt.SelectStmt.targetList[0].ResTarget.val.TypeCast.typeName));
  } catch {
    return typname.toLowerCase();
  }
}
