import { scanSync } from 'libpg-query';

/**
 * A function body reduced to what it means to Postgres's lexer: the token stream without whitespace and
 * comments, keywords and unquoted identifiers in lower case (Postgres folds them), string constants and
 * quoted identifiers untouched. Two bodies that differ only in layout, comments or keyword case compare
 * equal; any change of logic changes a token. Callers must have loaded the parser (loadParser()).
 */
export function normalizeSqlBody(body: string): string {
  try {
    const { tokens } = scanSync(body);
    const parts: string[] = [];
    for (const t of tokens) {
      if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') continue;
      const folds = t.keywordKind > 0 || t.tokenName === 'IDENT';
      parts.push(folds ? t.text.toLowerCase() : t.text);
    }
    return parts.join(' ');
  } catch {
    // The lexer accepts almost anything; if it does not, compare whitespace-collapsed text.
    return body.trim().replace(/\s+/g, ' ');
  }
}
