import { isSqlPath, numberedLines, type ExtractedOrder } from './order-entry.js';

/** One path per line, relative to the list's folder; blank lines and `#` comments are skipped. */
export function readPlainList(text: string): ExtractedOrder {
  const entries: ExtractedOrder['entries'] = [];
  const notes: string[] = [];
  for (const { text: raw, line } of numberedLines(text)) {
    const path = raw.trim();
    if (!path || path.startsWith('#')) continue;
    if (isSqlPath(path)) entries.push({ path, line, runLine: line });
    else notes.push(`line ${line}: ${path} skipped: not a .sql path`);
  }
  return { form: 'list', entries, notes };
}
