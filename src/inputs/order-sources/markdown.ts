import { readMakefile } from './makefile.js';
import { numberedLines, type ExtractedOrder, type OrderEntry } from './order-entry.js';
import { readPsqlLines } from './psql-script.js';
import { ShellReader } from './shell-script.js';
import { scriptText } from './shell-lexer.js';

const SHELL = new Set(['sh', 'bash', 'shell', 'zsh', 'ksh', 'console', 'shell-session', 'shellsession', 'terminal']);
const SQL = new Set(['sql', 'psql', 'pgsql', 'postgres', 'postgresql', 'plpgsql']);
const MAKE = new Set(['make', 'makefile', 'mk']);

interface CodeBlock {
  language: string;
  text: string;
  /** Line of the block's first content line. */
  firstLine: number;
}

/**
 * Reads the setup script out of a Markdown file (a README's "quick setup"): only fenced code blocks marked as
 * shell (```bash, ```sh, …), SQL/psql (their `\i` lines) or make are read, each as its own form; prose, tables,
 * directory trees and unmarked blocks are ignored. Shell blocks share their variables, as when a reader runs
 * them one after the other in one terminal. A path already run by an earlier block is not taken again: READMEs
 * often show a step on its own and then the whole script.
 */
export function readMarkdown(text: string): ExtractedOrder {
  const blocks = codeBlocks(text);
  const entries: OrderEntry[] = [];
  const notes: string[] = [];
  const shell = new ShellReader();
  const seen = new Set<string>();
  let unmarked = 0;
  for (const block of blocks) {
    const range = `lines ${block.firstLine}-${block.firstLine + block.text.split('\n').length - 1}`;
    let found: OrderEntry[];
    if (SHELL.has(block.language)) {
      const before = shell.entries.length;
      const notesBefore = shell.notes.length;
      shell.run(scriptText(block.language === 'console' || block.language === 'shell-session' ? promptsOnly(block.text) : block.text, block.firstLine));
      found = shell.entries.slice(before);
      notes.push(...shell.notes.slice(notesBefore));
    } else if (SQL.has(block.language)) {
      const read = readPsqlLines(block.text, block.firstLine);
      found = read.entries;
      notes.push(...read.notes);
    } else if (MAKE.has(block.language)) {
      const read = readMakefile(block.text, block.firstLine);
      found = read.entries;
      notes.push(...read.notes);
    } else {
      if (!block.language) unmarked++;
      continue;
    }
    const fresh = found.filter((e) => !seen.has(e.path));
    if (found.length) notes.push(`${block.language} code block (${range}): ${found.length} path${found.length === 1 ? '' : 's'}${fresh.length < found.length ? `, ${found.length - fresh.length} already run by an earlier block` : ''}`);
    for (const e of fresh) entries.push(e);
    for (const e of found) seen.add(e.path);
  }
  if (unmarked) notes.push(`${unmarked} code block${unmarked === 1 ? '' : 's'} without a language ignored (mark a setup script as \`\`\`bash)`);
  return { form: 'markdown', entries, notes };
}

/** Fenced code blocks (``` or ~~~, up to three spaces of indent), with their language and first line. */
function codeBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { fence: string; language: string; indent: number; firstLine: number; lines: string[] } | undefined;
  for (const { text: line, line: n } of numberedLines(text)) {
    if (!open) {
      const m = /^( {0,3})(`{3,}|~{3,})\s*\{?\.?([\w+-]*)/.exec(line);
      if (m && !(m[2][0] === '`' && line.slice(m[0].length).includes('`'))) open = { fence: m[2], language: m[3].toLowerCase(), indent: m[1].length, firstLine: n + 1, lines: [] };
      continue;
    }
    const close = new RegExp(`^ {0,3}${open.fence[0] === '`' ? '`' : '~'}{${open.fence.length},}\\s*$`);
    if (close.test(line)) {
      blocks.push({ language: open.language, text: open.lines.join('\n'), firstLine: open.firstLine });
      open = undefined;
    } else open.lines.push(line.replace(new RegExp(`^ {0,${open.indent}}`), ''));
  }
  return blocks;
}

/** A terminal transcript: the commands after `$ ` prompts; the output lines between them become blank lines. */
function promptsOnly(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^\s*[$%] /.test(l) ? l.replace(/^\s*[$%] /, '') : ''))
    .join('\n');
}
