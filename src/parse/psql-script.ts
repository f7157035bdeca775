import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { readSqlFile, type SqlFile } from '../inputs/read-sql-file.js';
import { parseSqlFile, type ParsedFile, type ParseTrees } from './parse-sql.js';
import { adaptDumpStatement } from './pg-dump-statements.js';
import { LineIndex } from './source-position.js';

/**
 * How a file's psql meta-commands are treated. `psql`: the file is a psql script (a reference or baseline
 * schema, often pg_dump output), so the meta-commands such a file realistically contains are understood.
 * `none`: the file is run by a migration tool that sends SQL as it is, so any meta-command is an error.
 */
export type MetaCommandMode = 'psql' | 'none';

/** psql variables set by `\set`, shared by a script and the files it includes (one psql session). */
export type PsqlVariables = Map<string, string>;

export interface ScriptOptions {
  mode: MetaCommandMode;
  cwd: string;
  variables?: PsqlVariables;
  /** What runs this file, for the message when it cannot run meta-commands (e.g. "Flyway"). */
  runner?: string;
  /** Parse trees of an earlier run (see ParseTreeCache). */
  trees?: ParseTrees;
}

const SUPPORTED = '\\i, \\ir, \\set, \\unset, \\restrict and \\unrestrict';

/**
 * Reads a SQL file the way psql would run it: `\restrict`/`\unrestrict` (written by current pg_dump releases)
 * are ignored, `\i`/`\ir` include another file (relative to the including file; its statements take the
 * include's place and keep their own locations), `\set`/`\unset` define variables substituted as `:name`,
 * `:'name'` (a literal) and `:"name"` (an identifier) outside strings and comments. Any other meta-command is an
 * input error naming it. A Flyway placeholder `${name}` left in the SQL is an input error that says what it is.
 *
 * Meta-command lines become `--` comments of the same length, so lines and columns of the SQL stay those of the
 * file; a substituted variable shifts the columns after it on its line (lines stay exact).
 */
export async function parseScript(file: SqlFile, options: ScriptOptions): Promise<ParsedFile> {
  const parsed = await parseScriptIn(file, { ...options, variables: options.variables ?? new Map() }, []);
  return options.mode === 'psql' ? { ...parsed, statements: parsed.statements.map(adaptDumpStatement) } : parsed;
}

/** Reads and parses a file as a script; see parseScript. */
export async function readScript(path: string, options: ScriptOptions): Promise<ParsedFile> {
  return parseScript(await readSqlFile(path, options.cwd), options);
}

interface Include {
  /** Offset in the rewritten text where the included statements go. */
  at: number;
  parsed: ParsedFile;
}

async function parseScriptIn(file: SqlFile, options: ScriptOptions & { variables: PsqlVariables }, stack: string[]): Promise<ParsedFile> {
  if (!mayNeedRewrite(file.text)) return parseSqlFile(file, options.trees);
  const lines = new LineIndex(file.text);
  const includes: Include[] = [];
  const out: string[] = [];
  let outLength = 0;
  const emit = (s: string) => {
    out.push(s);
    outLength += s.length;
  };
  const text = file.text;
  const where = (offset: number) => {
    const p = lines.position(offset);
    return `${file.displayPath}:${p.line}:${p.column}`;
  };
  let i = 0;
  let plain = 0; // start of text not yet emitted
  const flush = (to: number) => {
    if (to > plain) emit(text.slice(plain, to));
    plain = to;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      i = endOfLine(text, i);
    } else if (c === '/' && text[i + 1] === '*') {
      i = endOfBlockComment(text, i);
    } else if (c === "'") {
      i = endOfQuoted(text, i, "'", isEscapeString(text, i));
    } else if (c === '"') {
      i = endOfQuoted(text, i, '"', false);
    } else if (c === '$') {
      if (text[i + 1] === '{') {
        const close = text.indexOf('}', i);
        const token = close > 0 && close - i < 100 && !text.slice(i, close).includes('\n') ? text.slice(i, close + 1) : '${';
        throw new InputError(
          `${where(i)}: ${token} is a Flyway placeholder, which is not replaced in this file; write its value, or (in Flyway migrations) set it in the config's "placeholders" or flyway.conf`,
          { excerpt: lines.excerpt(lines.position(i)) },
        );
      }
      const tag = dollarTagAt(text, i);
      if (tag) {
        const close = text.indexOf(tag, i + tag.length);
        i = close < 0 ? text.length : close + tag.length;
      } else i++;
    } else if (c === ':' && options.mode === 'psql') {
      if (text[i + 1] === ':') {
        i += 2;
        continue;
      }
      const reference = variableAt(text, i);
      const value = reference && options.variables.get(reference.name);
      if (reference && value !== undefined) {
        flush(i);
        emit(reference.quote === "'" ? quoteLiteral(value) : reference.quote === '"' ? quoteIdentifier(value) : value);
        i = plain = i + reference.length;
      } else i++;
    } else if (c === '\\') {
      const end = endOfLine(text, i);
      const command = parseMetaCommand(text.slice(i, end));
      const at = where(i);
      if (options.mode === 'none') {
        throw new InputError(`${at}: psql meta-command \\${command.name} in a migration; ${options.runner ?? 'the migration tool'} sends SQL to the server as it is and cannot run it: remove the line`, {
          excerpt: lines.excerpt(lines.position(i)),
        });
      }
      flush(i);
      // The meta-command becomes a comment of the same length: the SQL around it keeps its lines and columns.
      emit(`--${text.slice(i + 2, end)}`);
      plain = i = end;
      await runMetaCommand(command, at, file, options, stack, (parsed) => includes.push({ at: outLength, parsed }));
    } else i++;
  }
  flush(text.length);
  const rewritten: SqlFile = { ...file, text: out.join('') };
  const parsed = await parseSqlFile(rewritten, options.trees);
  if (includes.length === 0) return parsed;
  // Each include's statements go where the include was, between the statements before and after it.
  const statements = [];
  const included: SqlFile[] = [];
  let next = 0;
  for (const include of includes) {
    while (next < parsed.statements.length && parsed.statements[next].offset < include.at) statements.push(parsed.statements[next++]);
    statements.push(...include.parsed.statements);
    included.push(include.parsed.file, ...(include.parsed.included ?? []));
  }
  statements.push(...parsed.statements.slice(next));
  return { ...parsed, statements, included };
}

/** Fast path: a file with no backslash, colon or `${` outside of what the parser handles needs no rewriting. */
function mayNeedRewrite(text: string): boolean {
  return text.includes('\\') || text.includes(':') || text.includes('${');
}

interface MetaCommand {
  name: string;
  args: string[];
}

async function runMetaCommand(
  command: MetaCommand,
  at: string,
  file: SqlFile,
  options: ScriptOptions & { variables: PsqlVariables },
  stack: string[],
  onInclude: (parsed: ParsedFile) => void,
): Promise<void> {
  switch (command.name) {
    case 'restrict':
    case 'unrestrict':
      // pg_dump's guard against a malicious server injecting meta-commands: nothing to do when reading the file.
      return;
    case 'set': {
      const [name, ...values] = command.args;
      if (name === undefined) throw new InputError(`${at}: \\set without a variable name lists psql's variables, which a schema file cannot use; remove the line`);
      options.variables.set(name, values.join(''));
      return;
    }
    case 'unset':
      if (command.args[0] !== undefined) options.variables.delete(command.args[0]);
      return;
    case 'i':
    case 'include':
    case 'ir':
    case 'include_relative': {
      const target = command.args[0];
      if (!target) throw new InputError(`${at}: \\${command.name} needs a file name`);
      const path = resolve(dirname(file.path), substituteVariables(target, options.variables));
      if (path === file.path || stack.includes(path)) throw new InputError(`${at}: \\${command.name} ${target} includes a file that is already being included (an include cycle)`);
      let included: SqlFile;
      try {
        included = await readSqlFile(path, options.cwd);
      } catch (error) {
        throw new InputError(`${at}: \\${command.name} ${target}: ${(error as Error).message.replace(/^.*?: file /, 'file ')}`, { cause: error });
      }
      onInclude(await parseScriptIn(included, options, [...stack, file.path]));
      return;
    }
    default:
      throw new InputError(`${at}: psql meta-command \\${command.name} is not supported in a schema file (verify-schema understands ${SUPPORTED}); remove the line`);
  }
}

/** `\name arg 'quoted arg' …` up to the end of the line (psql's own argument quoting: '' and backslash escapes). */
export function parseMetaCommand(line: string): MetaCommand {
  const name = /^\\([A-Za-z_!?.]*|.)/.exec(line)?.[1] ?? '';
  const args: string[] = [];
  let i = 1 + name.length;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let arg = '';
    while (i < line.length && !/\s/.test(line[i])) {
      if (line[i] === "'") {
        i++;
        while (i < line.length) {
          if (line[i] === "'" && line[i + 1] === "'") {
            arg += "'";
            i += 2;
          } else if (line[i] === "'") {
            i++;
            break;
          } else if (line[i] === '\\' && i + 1 < line.length) {
            const e = line[i + 1];
            arg += e === 'n' ? '\n' : e === 't' ? '\t' : e;
            i += 2;
          } else arg += line[i++];
        }
      } else if (line[i] === '"') {
        const close = line.indexOf('"', i + 1);
        arg += line.slice(i, close < 0 ? line.length : close + 1);
        i = close < 0 ? line.length : close + 1;
      } else arg += line[i++];
    }
    args.push(arg);
  }
  return { name, args };
}

/** `:name` in a meta-command's argument (psql substitutes there too). */
function substituteVariables(arg: string, variables: PsqlVariables): string {
  return arg.replace(/:([A-Za-z0-9_]+)/g, (whole, name: string) => variables.get(name) ?? whole);
}

/** A psql variable reference at `:`: `:name`, `:'name'` or `:"name"`. */
function variableAt(text: string, i: number): { name: string; quote?: "'" | '"'; length: number } | undefined {
  const q = text[i + 1];
  if (q === "'" || q === '"') {
    const m = new RegExp(`^${q}([A-Za-z0-9_]+)${q}`).exec(text.slice(i + 1, i + 130));
    return m ? { name: m[1], quote: q, length: m[0].length + 1 } : undefined;
  }
  const m = /^[A-Za-z0-9_]+/.exec(text.slice(i + 1, i + 130));
  return m ? { name: m[0], length: m[0].length + 1 } : undefined;
}

/** As psql quotes `:'name'` (PQescapeLiteral): an E'' string when the value has backslashes. */
function quoteLiteral(value: string): string {
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

function quoteIdentifier(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function endOfLine(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl;
}

/** Block comments nest in Postgres. */
function endOfBlockComment(text: string, i: number): number {
  let depth = 0;
  do {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
    } else i++;
  } while (depth > 0 && i < text.length);
  return i;
}

/** End of a '…' string or "…" identifier starting at i (a doubled quote continues it). */
function endOfQuoted(text: string, i: number, quote: string, backslashEscapes: boolean): number {
  i++;
  while (i < text.length) {
    const c = text[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && text[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return i;
}

/** `E'…'`: the E is a token of its own (not the end of an identifier like `type'…'`). */
function isEscapeString(text: string, i: number): boolean {
  return (text[i - 1] === 'E' || text[i - 1] === 'e') && !/[\w$]/.test(text[i - 2] ?? '');
}

/** `$tag$` or `$$` starting a dollar-quoted string (not `$1`, and not inside an identifier like `a$b`). */
function dollarTagAt(text: string, i: number): string | undefined {
  if (/[\w$]/.test(text[i - 1] ?? '')) return undefined;
  const m = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
  return m?.[0];
}

/**
 * Parses the files of one side. A file that another file of the list includes is applied only where it is
 * included (a reference folder holding `schema.sql` with `\ir tables/users.sql` and `tables/users.sql` itself).
 */
export async function readScripts(paths: string[], options: Omit<ScriptOptions, 'variables'>): Promise<ParsedFile[]> {
  if (options.mode === 'none') return Promise.all(paths.map((path) => readScript(path, options)));
  // Each file is its own psql session: variables do not flow from one file to the next. A file meant to be
  // included may not parse on its own (it uses its includer's variables): its error counts only when no
  // other file includes it.
  const results = await Promise.allSettled(paths.map((path) => readScript(path, options)));
  const parsed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const included = new Set(parsed.flatMap((p) => (p.included ?? []).map((f) => f.path)));
  const failed = results.findIndex((r, i) => r.status === 'rejected' && !included.has(paths[i]));
  if (failed >= 0) throw (results[failed] as PromiseRejectedResult).reason;
  return parsed.filter((p) => !included.has(p.file.path));
}
