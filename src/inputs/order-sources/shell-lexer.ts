/**
 * Tokens of a POSIX/bash script, enough to follow a setup script: words with their quoting and expansions,
 * array assignments (`TABLES=( … )`), operators, and here-documents. Every part keeps the line it was written
 * on, so a path taken from an array element is located at that element.
 */

/** Text with the order-file line of each character (a Makefile recipe is expanded from several lines). */
export interface ScriptText {
  text: string;
  lineOf(offset: number): number;
}

/** Plain text whose first line is line `firstLine` of the order file. */
export function scriptText(text: string, firstLine = 1): ScriptText {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return {
    text,
    lineOf(offset) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return firstLine + lo;
    },
  };
}

export type Part =
  | { t: 'lit'; text: string; quoted: boolean; line: number }
  /** `$name`, `${name[@]}`, `${name:-default}`; `op` is the `${…}` operator, `arg` its word. */
  | { t: 'var'; name: string; index?: string; op?: string; arg?: Part[]; quoted: boolean; line: number }
  /** Command substitution, arithmetic, `${x%.sql}`…: a value this reader cannot know. */
  | { t: 'unknown'; text: string; quoted: boolean; line: number };

export interface Word {
  parts: Part[];
  line: number;
  /** The source text, for messages. */
  raw: string;
}

export interface HereDoc {
  lines: Array<{ text: string; line: number }>;
}

export type Token =
  | { type: 'word'; word: Word }
  | { type: 'array'; name: string; append: boolean; items: Word[]; line: number; raw: string }
  | { type: 'op'; op: string; line: number; heredoc?: HereDoc };

const OPERATORS = ['&&', '||', ';;&', ';;', ';&', '<<<', '<<-', '<<', '>>', '>&', '<&', '&>', '>|', ';', '|', '&', '(', ')', '<', '>', '\n'];
const WORD_END = new Set([' ', '\t', '\r', '\n', ';', '|', '&', '(', ')', '<', '>']);

export function lexShell(source: ScriptText): Token[] {
  return new Lexer(source).run();
}

class Lexer {
  private i = 0;
  private readonly tokens: Token[] = [];
  /** Here-documents whose body starts after the current line. */
  private pending: Array<{ delimiter: string; strip: boolean; doc: HereDoc }> = [];
  private readonly s: string;

  constructor(private readonly source: ScriptText) {
    this.s = source.text;
  }

  run(): Token[] {
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\' && this.s[this.i + 1] === '\n') this.i += 2;
      else if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '#') this.skipComment();
      else if (c === '\n') {
        this.tokens.push({ type: 'op', op: '\n', line: this.line() });
        this.i++;
        this.readHereDocs();
      } else if (!this.operator()) this.tokens.push(this.word());
    }
    return this.tokens;
  }

  private line(at = this.i): number {
    return this.source.lineOf(at);
  }

  private skipComment(): void {
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
  }

  private operator(): boolean {
    const op = OPERATORS.find((o) => this.s.startsWith(o, this.i));
    if (!op) return false;
    const token: Token = { type: 'op', op, line: this.line() };
    this.i += op.length;
    if (op === '<<' || op === '<<-') {
      // The delimiter word follows; the body starts on the next line.
      while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
      const start = this.i;
      const delimiter = this.word();
      const text = this.s.slice(start, this.i).replace(/['"\\]/g, '');
      token.heredoc = { lines: [] };
      this.pending.push({ delimiter: text, strip: op === '<<-', doc: token.heredoc });
      this.tokens.push(token, delimiter);
      return true;
    }
    this.tokens.push(token);
    return true;
  }

  private readHereDocs(): void {
    for (const p of this.pending) {
      while (this.i < this.s.length) {
        const end = this.s.indexOf('\n', this.i);
        const stop = end < 0 ? this.s.length : end;
        const raw = this.s.slice(this.i, stop).replace(/\r$/, '');
        const line = this.line();
        this.i = end < 0 ? this.s.length : end + 1;
        const text = p.strip ? raw.replace(/^\t+/, '') : raw;
        if (text === p.delimiter) break;
        p.doc.lines.push({ text, line });
      }
    }
    this.pending = [];
  }

  private word(): { type: 'word'; word: Word } | Extract<Token, { type: 'array' }> {
    const start = this.i;
    const parts: Part[] = [];
    const lit = (text: string, quoted: boolean, at: number) => {
      const last = parts[parts.length - 1];
      // Text from another line (a Makefile variable expanded into a recipe) is its own part: a path is located
      // at the line its file name comes from.
      if (last?.t === 'lit' && last.quoted === quoted && last.line === this.line(at)) last.text += text;
      else parts.push({ t: 'lit', text, quoted, line: this.line(at) });
    };
    while (this.i < this.s.length && !WORD_END.has(this.s[this.i])) {
      const c = this.s[this.i];
      if (c === '\\') {
        if (this.s[this.i + 1] === '\n') this.i += 2;
        else {
          lit(this.s[this.i + 1] ?? '', true, this.i);
          this.i += 2;
        }
      } else if (c === "'") {
        const end = this.s.indexOf("'", this.i + 1);
        const stop = end < 0 ? this.s.length : end;
        lit(this.s.slice(this.i + 1, stop), true, this.i + 1);
        this.i = stop + 1;
      } else if (c === '"') {
        this.i++;
        this.doubleQuoted(parts, lit);
      } else if (c === '$') {
        if (this.s[this.i + 1] === "'") {
          // $'…' (ANSI-C quoting): taken literally, escapes are not decoded.
          const end = this.s.indexOf("'", this.i + 2);
          const stop = end < 0 ? this.s.length : end;
          lit(this.s.slice(this.i + 2, stop), true, this.i + 2);
          this.i = stop + 1;
        } else {
          const part = this.dollar(false);
          if (part) parts.push(part);
          else lit('$', false, this.i - 1);
        }
      } else if (c === '`') {
        parts.push(this.backquote(false));
      } else {
        lit(c, false, this.i);
        this.i++;
      }
    }
    // NAME=( … ) and NAME+=( … ): a bash array, its elements on any number of lines.
    const first = parts[0];
    if (this.s[this.i] === '(' && parts.length === 1 && first.t === 'lit' && !first.quoted && /^[A-Za-z_]\w*\+?=$/.test(first.text)) {
      return this.arrayAssignment(first.text, start);
    }
    return { type: 'word', word: { parts, line: this.line(start), raw: this.s.slice(start, this.i) } };
  }

  private arrayAssignment(head: string, start: number): Extract<Token, { type: 'array' }> {
    this.i++; // (
    const items: Word[] = [];
    while (this.i < this.s.length && this.s[this.i] !== ')') {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.i++;
      else if (c === '\\' && this.s[this.i + 1] === '\n') this.i += 2;
      else if (c === '#') this.skipComment();
      else {
        const before = this.i;
        const token = this.word();
        if (token.type === 'word') items.push(token.word);
        if (this.i === before) this.i++; // an operator character inside ( … ): skip it
      }
    }
    this.i++; // )
    const append = head.endsWith('+=');
    return { type: 'array', name: head.slice(0, append ? -2 : -1), append, items, line: this.line(start), raw: this.s.slice(start, this.i) };
  }

  private doubleQuoted(parts: Part[], lit: (text: string, quoted: boolean, at: number) => void): void {
    while (this.i < this.s.length && this.s[this.i] !== '"') {
      const c = this.s[this.i];
      if (c === '\\' && '$`"\\\n'.includes(this.s[this.i + 1] ?? '')) {
        if (this.s[this.i + 1] !== '\n') lit(this.s[this.i + 1], true, this.i);
        this.i += 2;
      } else if (c === '$') {
        const part = this.dollar(true);
        if (part) parts.push(part);
        else lit('$', true, this.i - 1);
      } else if (c === '`') {
        parts.push(this.backquote(true));
      } else {
        lit(c, true, this.i);
        this.i++;
      }
    }
    this.i++; // closing "
  }

  private backquote(quoted: boolean): Part {
    const start = this.i;
    const end = this.s.indexOf('`', this.i + 1);
    this.i = end < 0 ? this.s.length : end + 1;
    return { t: 'unknown', text: this.s.slice(start, this.i), quoted, line: this.line(start) };
  }

  /** At `$`: an expansion, or undefined for a `$` that is just a character (it is then consumed). */
  private dollar(quoted: boolean): Part | undefined {
    const start = this.i;
    const line = this.line(start);
    const next = this.s[this.i + 1];
    if (next === '(') {
      this.i = this.matching(this.i + 1, '(', ')');
      return { t: 'unknown', text: this.s.slice(start, this.i), quoted, line };
    }
    if (next === '{') {
      const end = this.matching(this.i + 1, '{', '}');
      const inner = this.s.slice(this.i + 2, end - 1);
      const innerStart = this.i + 2;
      this.i = end;
      return this.braced(inner, innerStart, quoted, line, this.s.slice(start, end));
    }
    const name = /^(?:[A-Za-z_]\w*|[0-9@*#?$!-])/.exec(this.s.slice(this.i + 1, this.i + 200))?.[0];
    if (!name) {
      this.i++;
      return undefined;
    }
    this.i += 1 + name.length;
    return { t: 'var', name, quoted, line };
  }

  private braced(inner: string, innerStart: number, quoted: boolean, line: number, raw: string): Part {
    const m = /^([A-Za-z_]\w*|[0-9]+|[@*#?$!-])(?:\[([^\]]*)\])?([\s\S]*)$/.exec(inner);
    if (!m || inner.startsWith('#') || inner.startsWith('!')) return { t: 'unknown', text: raw, quoted, line };
    const [, name, index, rest] = m;
    if (rest === '') return { t: 'var', name, index, quoted, line };
    const op = /^(:?[-=?+])/.exec(rest)?.[1];
    if (!op) return { t: 'unknown', text: raw, quoted, line };
    const argStart = innerStart + name.length + (index === undefined ? 0 : index.length + 2) + op.length;
    return { t: 'var', name, index, op, arg: this.subWord(argStart, innerStart + inner.length, quoted), quoted, line };
  }

  /** The word of `${x:-word}`, lexed in place (it may itself hold quotes and expansions). */
  private subWord(from: number, to: number, quoted: boolean): Part[] {
    const inner = new Lexer({ text: this.s.slice(0, to), lineOf: (o) => this.source.lineOf(o) });
    inner.i = from;
    const parts: Part[] = [];
    const lit = (text: string, q: boolean, at: number) => {
      const last = parts[parts.length - 1];
      if (last?.t === 'lit' && last.quoted === q) last.text += text;
      else parts.push({ t: 'lit', text, quoted: q, line: this.line(at) });
    };
    while (inner.i < to) {
      const c = inner.s[inner.i];
      if (c === '"') {
        inner.i++;
        inner.doubleQuoted(parts, lit);
      } else if (c === "'") {
        const end = inner.s.indexOf("'", inner.i + 1);
        const stop = end < 0 ? to : end;
        lit(inner.s.slice(inner.i + 1, stop), true, inner.i + 1);
        inner.i = stop + 1;
      } else if (c === '$') {
        const part = inner.dollar(quoted);
        if (part) parts.push(part);
        else lit('$', quoted, inner.i - 1);
      } else {
        lit(c, quoted, inner.i);
        inner.i++;
      }
    }
    return parts;
  }

  /** Offset just past the bracket that closes the one at `open`, skipping quoted text. */
  private matching(open: number, left: string, right: string): number {
    let depth = 0;
    let i = open;
    while (i < this.s.length) {
      const c = this.s[i];
      if (c === '\\') i += 2;
      else if (c === "'" && left === '(') {
        const end = this.s.indexOf("'", i + 1);
        i = end < 0 ? this.s.length : end + 1;
      } else {
        if (c === left) depth++;
        else if (c === right && --depth === 0) return i + 1;
        i++;
      }
    }
    return this.s.length;
  }
}
