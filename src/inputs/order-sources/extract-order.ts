import { basename, extname } from 'node:path';
import { readMakefile } from './makefile.js';
import { readMarkdown } from './markdown.js';
import type { ExtractedOrder, OrderForm } from './order-entry.js';
import { readPlainList } from './plain-list.js';
import { readPsqlLines } from './psql-script.js';
import { readShellScript } from './shell-script.js';

const READERS: Record<OrderForm, (text: string) => ExtractedOrder> = {
  list: readPlainList,
  shell: (text) => readShellScript(text),
  markdown: readMarkdown,
  psql: (text) => readPsqlLines(text),
  makefile: (text) => readMakefile(text),
};

/** Human names of the forms, for messages. */
export const FORM_NAMES: Record<OrderForm, string> = {
  list: 'a list of paths',
  shell: 'a shell script',
  markdown: 'Markdown (its shell/SQL code blocks)',
  psql: 'a psql script (\\i lines)',
  makefile: 'a Makefile (its default goal)',
};

/** The `.sql` paths an order file runs, in order, read according to its form (see orderFormOf). */
export function extractOrder(fileName: string, text: string): ExtractedOrder {
  return READERS[orderFormOf(fileName, text)](text);
}

/**
 * The form of an order file: by its name when that says it (`.md`, `.sh`, `Makefile`, `.psql`/`.sql`),
 * else by its content: a `#!` line or shell syntax is a shell script, `\i` lines a psql script, a rule with a
 * tab-indented recipe a Makefile; anything else is a plain list of paths.
 */
export function orderFormOf(fileName: string, text: string): OrderForm {
  const name = basename(fileName);
  const ext = extname(name).toLowerCase();
  if (['.md', '.markdown', '.mdown', '.mkd'].includes(ext)) return 'markdown';
  if (['.sh', '.bash', '.zsh', '.ksh'].includes(ext)) return 'shell';
  if (/^(gnu)?makefile$/i.test(name) || ['.mk', '.make'].includes(ext)) return 'makefile';
  if (['.psql', '.sql'].includes(ext)) return 'psql';
  const first = text.replace(/^\uFEFF/, '').split('\n', 1)[0];
  if (first.startsWith('#!')) return /\bmake\b/.test(first) ? 'makefile' : 'shell';
  if (/^\s*\\(i|ir|include|include_relative)\s/m.test(text)) return 'psql';
  if (/^[^\s#:=][^:=\n]*::?(?!=)[^\n]*\n\t/m.test(text)) return 'makefile';
  if (/^\s*(psql\b|for\s+\w+\s+in\b|[A-Za-z_]\w*\+?=|export\s|set\s+-|cat\s|while\s|if\s)/m.test(text)) return 'shell';
  return 'list';
}
