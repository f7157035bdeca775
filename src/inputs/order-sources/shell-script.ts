import { isSqlPath, type ExtractedOrder, type OrderEntry } from './order-entry.js';
import { readPsqlLines } from './psql-script.js';
import { lexShell, scriptText, type Part, type ScriptText, type Word } from './shell-lexer.js';
import { isBare, parseShell, type Command, type Redirect } from './shell-parser.js';

/** A piece of an expanded value, with the line it was written on. `unknown`: a value the script computes. */
export interface Seg {
  text: string;
  line: number;
  unknown?: boolean;
  /** Unquoted text with `*`, `?` or `[`: bash would expand it as a glob. */
  glob?: boolean;
}

/** One word after expansion and splitting. */
type Field = Seg[];

type Value = { scalar: Seg[] } | { items: Field[] };

/** Reads a shell script (a `.sh` file, a Makefile recipe line, a Markdown code block). */
export function readShellScript(text: string, firstLine = 1): ExtractedOrder {
  const reader = new ShellReader();
  reader.run(scriptText(text, firstLine));
  return { form: 'shell', entries: reader.entries, notes: reader.notes };
}

/**
 * Follows a setup script the way bash would run it, as far as that can be known without running it:
 * variables and arrays are expanded, `for` loops run over their words in order, functions are called with
 * their arguments, and every `psql -f FILE`, `psql < FILE`, `cat FILE | psql` and `\i FILE` in a here-document
 * fed to psql yields FILE. Conditions cannot be evaluated, so every branch of an `if`/`case` is followed once;
 * a value computed by a command (`$(pwd)`) is unknown — as a leading `$DIR/` it is taken to be the script's
 * own folder, anywhere else the path is skipped (and said so in the notes).
 */
export class ShellReader {
  readonly entries: OrderEntry[] = [];
  readonly notes: string[] = [];
  private readonly vars = new Map<string, Value>();
  private readonly functions = new Map<string, Command[]>();
  private positional: Field[] = [];
  private depth = 0;

  run(source: ScriptText): void {
    this.exec(parseShell(lexShell(source)));
  }

  /** Sets an array before the script runs (a Makefile's variables). */
  define(name: string, items: Field[]): void {
    this.vars.set(name, { items });
  }

  private exec(commands: Command[]): void {
    for (const command of commands) this.execOne(command);
  }

  private execOne(command: Command): void {
    switch (command.type) {
      case 'function':
        this.functions.set(command.name, command.body);
        return;
      case 'block':
        this.exec(command.body);
        return;
      case 'for': {
        const fields = command.words ? command.words.flatMap((w) => this.expand(w)) : this.positional;
        for (const field of fields) {
          this.vars.set(command.variable, { scalar: field });
          this.exec(command.body);
        }
        return;
      }
      case 'pipeline':
        this.pipeline(command.commands);
        return;
      case 'simple':
        this.simple(command);
    }
  }

  /** `cat a.sql b.sql | psql …`: the files cat sends into psql. */
  private pipeline(commands: Command[]): void {
    const psqlAt = commands.findIndex((c, i) => i > 0 && c.type === 'simple' && this.psqlIndex(this.expandAll(c.words)) >= 0);
    if (psqlAt > 0) {
      const runLine = (commands[psqlAt] as { line: number }).line;
      for (const c of commands.slice(0, psqlAt)) {
        if (c.type !== 'simple') continue;
        const fields = this.expandAll(c.words);
        if (fields.length && baseName(fieldText(fields[0])) === 'cat') for (const f of fields.slice(1)) this.take(f, runLine, 'cat', true);
      }
    }
    this.exec(commands);
  }

  private simple(command: Extract<Command, { type: 'simple' }>): void {
    // `X=1 psql …` sets X for that command only; alone, or after export/declare/local, it sets it for the script.
    const persistent = command.words.length === 0 || ['export', 'declare', 'typeset', 'local', 'readonly'].some((w) => isBare(command.words[0], w));
    if (persistent) for (const a of command.assignments) this.assign(a);
    const fields = this.expandAll(command.words);
    if (fields.length === 0) return;
    const name = fieldText(fields[0]);
    const fn = this.functions.get(name);
    if (fn) {
      if (this.depth > 16) return;
      const saved = this.positional;
      this.positional = fields.slice(1);
      this.depth++;
      this.exec(fn);
      this.depth--;
      this.positional = saved;
      return;
    }
    const at = this.psqlIndex(fields);
    if (at >= 0) this.psql(fields.slice(at + 1), command.redirects, command.line);
  }

  /** Where psql is among the words (`sudo -u postgres psql`, `docker compose exec db psql`), or -1. */
  private psqlIndex(fields: Field[]): number {
    return fields.findIndex((f) => !f.some((s) => s.unknown) && baseName(fieldText(f)) === 'psql');
  }

  private psql(args: Field[], redirects: Redirect[], runLine: number): void {
    for (let j = 0; j < args.length; j++) {
      const a = fieldText(args[j]);
      if (a === '-f' || a === '--file') this.take(args[++j], runLine, '-f');
      else if (a.startsWith('--file=')) this.take(dropChars(args[j], 7), runLine, '-f');
      else if (/^-[aAbeEHlnqsStxX1]*f./.test(a) && !a.startsWith('--')) this.take(dropChars(args[j], a.indexOf('f') + 1), runLine, '-f');
      else if (/^-[aAbeEHlnqsStxX1]*f$/.test(a)) this.take(args[++j], runLine, '-f');
      else if (a === '-c' || a === '--command') this.psqlText(args[++j] ? fieldText(args[j]) : '', args[j]?.[0]?.line ?? runLine, true);
    }
    for (const r of redirects) {
      if (r.op === '<' && r.target) for (const f of this.expand(r.target)) this.take(f, runLine, '<');
      if (r.heredoc) for (const line of r.heredoc.lines) this.psqlText(line.text, line.line, true);
      if (r.op === '<<<' && r.target) for (const f of this.expand(r.target)) this.psqlText(fieldText(f), f[0]?.line ?? runLine, false);
    }
  }

  /** psql meta-commands (`\i FILE`) in text psql reads; `$VAR` in them is expanded when the shell would. */
  private psqlText(text: string, line: number, expands: boolean): void {
    for (const e of readPsqlLines(text, line).entries) {
      if (expands && e.path.includes('$')) {
        const [word] = lexShell(scriptText(e.path, e.line));
        if (word?.type === 'word') for (const f of this.expand(word.word)) this.take(f, e.line, '\\i');
      } else this.entries.push({ ...e, runLine: e.line });
    }
  }

  private take(field: Field | undefined, runLine: number, how: string, quiet = false): void {
    if (!field) return;
    const path = fieldPath(field);
    if ('reason' in path) {
      if (!quiet || path.reason !== 'not a .sql path') this.notes.push(`line ${runLine}: ${how} ${showField(field)} skipped: ${path.reason}`);
      return;
    }
    this.entries.push({ path: path.path, line: path.line, runLine, ...(field.some((s) => s.glob) ? { glob: true } : {}) });
  }

  private assign(a: { name: string; append: boolean } & ({ value: Word } | { items: Word[] })): void {
    const old = a.append ? this.vars.get(a.name) : undefined;
    if ('items' in a) {
      const items = a.items.flatMap((w) => this.expand(w));
      const before = old ? ('items' in old ? old.items : [old.scalar]) : [];
      this.vars.set(a.name, { items: [...before, ...items] });
    } else {
      const value = this.expand(a.value, false)[0] ?? [];
      if (old && 'items' in old) this.vars.set(a.name, { items: [...old.items, value] });
      else this.vars.set(a.name, { scalar: [...(old && 'scalar' in old ? old.scalar : []), ...value] });
    }
  }

  private expandAll(words: Word[]): Field[] {
    return words.flatMap((w) => this.expand(w));
  }

  /** A word's fields: expansions substituted, unquoted ones split on whitespace (unless `split` is false, as on an assignment's right side). */
  private expand(word: Word, split = true): Field[] {
    const fields: Field[] = [];
    let current: Field | undefined;
    const start = () => (current ??= []);
    const end = () => {
      if (current) fields.push(current);
      current = undefined;
    };
    const append = (segs: Seg[], quoted: boolean) => {
      if (quoted || !split) {
        start().push(...segs);
        return;
      }
      for (const seg of segs) {
        if (seg.unknown) {
          start().push(seg);
          continue;
        }
        const pieces = seg.text.split(/([ \t\n]+)/);
        for (const piece of pieces) {
          if (piece === '') continue;
          if (/^[ \t\n]+$/.test(piece)) end();
          else start().push({ ...seg, text: piece });
        }
      }
    };
    for (const part of word.parts) {
      if (part.t === 'lit') {
        start().push({ text: part.text, line: part.line, ...(!part.quoted && /[*?[]/.test(part.text) ? { glob: true } : {}) });
      } else if (part.t === 'unknown') {
        start().push({ text: part.text, line: part.line, unknown: true });
      } else {
        const value = this.variable(part);
        if ('many' in value) {
          // "${ARR[@]}": one field per element, the first and last joined to the text around them.
          value.many.forEach((item, k) => {
            if (k > 0 && (part.quoted || !split)) end();
            append(item, part.quoted);
            if (!part.quoted && split) end();
          });
        } else append(value.one, part.quoted);
      }
    }
    end();
    return fields;
  }

  /** A variable's value: one list of segments, or one per element for `${ARR[@]}` and `"$@"`. */
  private variable(part: Extract<Part, { t: 'var' }>): { one: Seg[] } | { many: Field[] } {
    const unknown = { one: [{ text: `$${part.name}`, line: part.line, unknown: true }] };
    if (part.name === '@' || part.name === '*') return { many: this.positional };
    if (/^[1-9]$/.test(part.name)) return { one: this.positional[Number(part.name) - 1] ?? [] };
    const value = this.vars.get(part.name);
    const isSet = value !== undefined;
    const empty = !value || ('scalar' in value ? value.scalar.every((s) => s.text === '') : value.items.length === 0);
    const op = part.op;
    if (op) {
      const missing = op.startsWith(':') ? empty : !isSet;
      const arg = () => this.expand({ parts: part.arg ?? [], line: part.line, raw: '' }, false)[0] ?? [];
      if (op.endsWith('+')) return { one: missing ? [] : arg() };
      if (missing && op.endsWith('?')) return unknown;
      if (missing) {
        const fallback = arg();
        if (op.endsWith('=')) this.vars.set(part.name, { scalar: fallback });
        return { one: fallback };
      }
    }
    if (!value) return unknown;
    const all = part.index === '@' || part.index === '*';
    if ('scalar' in value) return all ? { many: [value.scalar] } : { one: value.scalar };
    if (all) return { many: value.items };
    return { one: value.items[Number(part.index ?? 0)] ?? [] };
  }
}

function fieldText(field: Field): string {
  return field.map((s) => (s.unknown ? '\u0000' : s.text)).join('');
}

function showField(field: Field): string {
  return field.map((s) => s.text).join('');
}

function baseName(text: string): string {
  return text.slice(text.lastIndexOf('/') + 1);
}

/** The field without its first `n` characters (`--file=path` → `path`). */
function dropChars(field: Field, n: number): Field {
  const out: Field = [];
  for (const seg of field) {
    if (n <= 0 || seg.unknown) out.push(seg);
    else if (seg.text.length > n) out.push({ ...seg, text: seg.text.slice(n) });
    n -= seg.unknown ? 0 : seg.text.length;
  }
  return out;
}

/**
 * The path a field names. A leading value the script computes (`$SCHEMA_DIR/`, `$(dirname "$0")/`) is taken
 * to be the script's own folder — the path is then resolved like any other relative path. The line is the
 * line its file name was written on (the array element, not the loop that runs it).
 */
export function fieldPath(field: Field): { path: string; line: number } | { reason: string } {
  let segs = field.filter((s) => s.unknown || s.text !== '');
  if (segs[0]?.unknown) {
    const rest = segs.slice(1);
    if (!rest.length || rest[0].unknown || !rest[0].text.startsWith('/')) return { reason: `its folder ${segs[0].text} is computed by the script` };
    segs = [{ ...rest[0], text: rest[0].text.replace(/^\/+/, '') }, ...rest.slice(1)].filter((s) => s.unknown || s.text !== '');
  }
  const unknown = segs.find((s) => s.unknown);
  if (unknown) return { reason: `${unknown.text} is computed by the script` };
  const path = segs.map((s) => s.text).join('');
  if (!isSqlPath(path)) return { reason: 'not a .sql path' };
  return { path, line: segs[segs.length - 1].line };
}
