import { parseSync } from 'libpg-query';
import { deparseSync } from 'pgsql-deparser';

/**
 * An expression Postgres printed (pg_get_expr, pretty: spread over lines with odd indentation) parsed and
 * printed again on one line by the deparser. Anything the round trip cannot handle keeps Postgres's text,
 * which is valid SQL too (and the proof applies whatever is printed).
 */
export function expressionSql(text: string): string {
  try {
    const tree = parseSync(`SELECT ${text}`) as { stmts: unknown[] };
    if (tree.stmts.length !== 1) return text;
    const printed = deparseSync(tree as never, { pretty: false }).trim();
    return printed.startsWith('SELECT ') ? printed.slice('SELECT '.length) : text;
  } catch {
    return text;
  }
}
