import { QuoteUtils } from 'pgsql-deparser';

/**
 * Identifiers and literals for generated SQL. Every name is quoted by Postgres's own quote_ident rules
 * (the deparser's port of ruleutils' quote_identifier: quotes for case, special characters and keywords),
 * so a generated statement never depends on a name being "simple".
 */
export function ident(name: string): string {
  return QuoteUtils.quoteIdentifier(name);
}

/** `schema.table` from raw parts, each part quoted as needed. */
export function qualified(...parts: string[]): string {
  return parts.map(ident).join('.');
}

/** A string constant: single quotes doubled (standard_conforming_strings is on since Postgres 9.1). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The raw parts of a catalog key such as `public."Order Items".sku` (keys quote only where Postgres needs
 * quotes, see qualify). A function key's argument list (`public.f(integer, text)`) is returned apart.
 */
export function splitKey(key: string): { parts: string[]; args?: string } {
  const parts: string[] = [];
  let current = '';
  let i = 0;
  while (i < key.length) {
    const ch = key[i];
    if (ch === '"') {
      i++;
      while (i < key.length) {
        if (key[i] === '"' && key[i + 1] === '"') { current += '"'; i += 2; }
        else if (key[i] === '"') { i++; break; }
        else current += key[i++];
      }
    } else if (ch === '.') {
      parts.push(current);
      current = '';
      i++;
    } else if (ch === '(') {
      parts.push(current);
      return { parts, args: key.slice(i + 1, key.lastIndexOf(')')) };
    } else {
      current += ch;
      i++;
    }
  }
  parts.push(current);
  return { parts };
}

/** A catalog key re-quoted for SQL: `public."order"` (a keyword is quoted, which `qualify` alone does not do). */
export function sqlName(key: string): string {
  const { parts, args } = splitKey(key);
  return `${qualified(...parts)}${args === undefined ? '' : `(${args})`}`;
}
