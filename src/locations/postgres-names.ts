/**
 * The names Postgres gives to constraints and indexes written without one (ChooseConstraintName /
 * ChooseIndexName / makeObjectName in the server). Close enough to find the statement that made an
 * auto-named object; when a name collision made Postgres add a number, the locator falls back to the table.
 */

const NAME_MAX_BYTES = 63;

/** `<table>_<columns>_<label>`, shortening the longer of table and columns until it fits 63 bytes, as makeObjectName does. */
export function makeObjectName(table: string, columns: string | undefined, label: string): string {
  const overhead = (columns ? 1 : 0) + 1 + bytes(label);
  const available = NAME_MAX_BYTES - overhead;
  let tableBytes = bytes(table);
  let columnBytes = columns ? bytes(columns) : 0;
  while (tableBytes + columnBytes > available) {
    if (tableBytes > columnBytes) tableBytes--;
    else columnBytes--;
  }
  const head = clip(table, tableBytes);
  return columns ? `${head}_${clip(columns, columnBytes)}_${label}` : `${head}_${label}`;
}

export type ConstraintLabel = 'pkey' | 'key' | 'fkey' | 'check' | 'excl';

/** The automatic name of a constraint on `table` over `columns` (empty list: a table-level name). */
export function constraintName(table: string, label: ConstraintLabel, columns: string[]): string {
  if (label === 'pkey') return makeObjectName(table, undefined, 'pkey');
  return makeObjectName(table, columns.length ? columns.join('_') : undefined, label);
}

/** The automatic name of `CREATE INDEX ON table (…)`: key columns, `expr` for expressions. */
export function indexName(table: string, columns: string[]): string {
  return makeObjectName(table, columns.length ? columns.join('_') : undefined, 'idx');
}

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of `s` that fits in `max` UTF-8 bytes without splitting a character (pg_mbcliplen). */
function clip(s: string, max: number): string {
  let out = '';
  for (const ch of s) {
    if (bytes(out + ch) > max) break;
    out += ch;
  }
  return out;
}
