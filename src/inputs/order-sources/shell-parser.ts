import type { HereDoc, Token, Word } from './shell-lexer.js';

/** The commands of a script, as far as following a setup script needs them. */
export type Command =
  | { type: 'simple'; assignments: Assignment[]; words: Word[]; redirects: Redirect[]; line: number }
  | { type: 'pipeline'; commands: Command[] }
  | { type: 'for'; variable: string; words?: Word[]; body: Command[]; line: number }
  /** if/while/until/case/{ }/( ): every branch is followed once, in order (conditions cannot be evaluated). */
  | { type: 'block'; body: Command[] }
  | { type: 'function'; name: string; body: Command[] };

export type Assignment = { name: string; append: boolean; value: Word } | { name: string; append: boolean; items: Word[] };

export interface Redirect {
  op: string;
  target?: Word;
  heredoc?: HereDoc;
}

const REDIRECTS = new Set(['<', '>', '>>', '<<', '<<-', '<<<', '>&', '<&', '&>', '>|']);
const SEPARATORS = new Set([';', '\n', '&']);
/** Words that end the list they appear in (when in command position). */
const CLOSERS = new Set(['}', 'then', 'elif', 'else', 'fi', 'do', 'done', 'esac']);

export function parseShell(tokens: Token[]): Command[] {
  const parser = new Parser(tokens);
  const commands: Command[] = [];
  // A stray closer (an unbalanced `fi`, `}`) is skipped rather than ending the script early.
  while (!parser.done()) {
    commands.push(...parser.list());
    if (!parser.done()) parser.next();
  }
  return commands;
}

/** A word that is exactly `text`, unquoted (a reserved word in command position). */
export function isBare(word: Word | undefined, text: string): boolean {
  return !!word && word.parts.length === 1 && word.parts[0].t === 'lit' && !word.parts[0].quoted && word.parts[0].text === text;
}

function bareText(token: Token | undefined): string | undefined {
  if (token?.type !== 'word') return undefined;
  const p = token.word.parts;
  return p.length === 1 && p[0].t === 'lit' && !p[0].quoted ? p[0].text : undefined;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  next(): Token | undefined {
    return this.tokens[this.i++];
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private isOp(token: Token | undefined, ...ops: string[]): boolean {
    return token?.type === 'op' && ops.includes(token.op);
  }

  private skipSeparators(): void {
    while (this.isOp(this.peek(), ...SEPARATORS)) this.i++;
  }

  /** Commands up to a closer (`done`, `fi`, `}`, `)`, `;;`, …) or the end. */
  list(): Command[] {
    const out: Command[] = [];
    for (;;) {
      this.skipSeparators();
      const token = this.peek();
      if (!token || this.isOp(token, ')', ';;', ';&', ';;&')) return out;
      const word = bareText(token);
      if (word !== undefined && CLOSERS.has(word)) return out;
      out.push(this.andOr());
    }
  }

  private andOr(): Command {
    const commands = [this.pipeline()];
    while (this.isOp(this.peek(), '&&', '||')) {
      this.i++;
      while (this.isOp(this.peek(), '\n')) this.i++;
      commands.push(this.pipeline());
    }
    return commands.length === 1 ? commands[0] : { type: 'block', body: commands };
  }

  private pipeline(): Command {
    if (bareText(this.peek()) === '!') this.i++;
    const commands = [this.command()];
    while (this.isOp(this.peek(), '|')) {
      this.i++;
      while (this.isOp(this.peek(), '\n')) this.i++;
      commands.push(this.command());
    }
    return commands.length === 1 ? commands[0] : { type: 'pipeline', commands };
  }

  private command(): Command {
    const token = this.peek();
    const word = bareText(token);
    if (this.isOp(token, '(')) {
      this.i++;
      const body = this.list();
      if (this.isOp(this.peek(), ')')) this.i++;
      this.redirects();
      return { type: 'block', body };
    }
    switch (word) {
      case '{': {
        this.i++;
        const body = this.list();
        this.expectWord('}');
        this.redirects();
        return { type: 'block', body };
      }
      case 'if':
        return this.ifClause();
      case 'while':
      case 'until':
        return this.whileClause();
      case 'for':
        return this.forClause();
      case 'case':
        return this.caseClause();
      case 'function': {
        this.i++;
        const name = bareText(this.next()) ?? '';
        if (this.isOp(this.peek(), '(') && this.isOp(this.peek(1), ')')) this.i += 2;
        return this.functionBody(name);
      }
    }
    // name() compound-command
    if (word !== undefined && /^[\w.:-]+$/.test(word) && this.isOp(this.peek(1), '(') && this.isOp(this.peek(2), ')')) {
      this.i += 3;
      return this.functionBody(word);
    }
    return this.simple();
  }

  private functionBody(name: string): Command {
    while (this.isOp(this.peek(), '\n')) this.i++;
    const body = this.command();
    return { type: 'function', name, body: [body] };
  }

  private expectWord(text: string): void {
    if (bareText(this.peek()) === text) this.i++;
  }

  private ifClause(): Command {
    const body: Command[] = [];
    this.i++; // if
    for (;;) {
      body.push(...this.list()); // condition
      this.expectWord('then');
      body.push(...this.list());
      const next = bareText(this.peek());
      if (next === 'elif') {
        this.i++;
        continue;
      }
      if (next === 'else') {
        this.i++;
        body.push(...this.list());
      }
      this.expectWord('fi');
      this.redirects();
      return { type: 'block', body };
    }
  }

  private whileClause(): Command {
    this.i++;
    const body = this.list();
    this.expectWord('do');
    body.push(...this.list());
    this.expectWord('done');
    this.redirects();
    return { type: 'block', body };
  }

  private forClause(): Command {
    const line = (this.next() as Extract<Token, { type: 'word' }>).word.line;
    if (this.isOp(this.peek(), '(')) {
      // for (( … )): arithmetic, nothing to bind; the body is followed once.
      while (!this.done() && bareText(this.peek()) !== 'do') this.i++;
      this.expectWord('do');
      const body = this.list();
      this.expectWord('done');
      return { type: 'block', body };
    }
    const variable = bareText(this.next()) ?? '';
    let words: Word[] | undefined;
    while (this.isOp(this.peek(), '\n')) this.i++;
    if (bareText(this.peek()) === 'in') {
      this.i++;
      words = [];
      for (let t = this.peek(); t?.type === 'word'; t = this.peek()) {
        words.push(t.word);
        this.i++;
      }
    }
    this.skipSeparators();
    this.expectWord('do');
    const body = this.list();
    this.expectWord('done');
    this.redirects();
    return { type: 'for', variable, words, body, line };
  }

  private caseClause(): Command {
    this.i++; // case
    this.i++; // the word
    this.skipSeparators();
    this.expectWord('in');
    const body: Command[] = [];
    for (;;) {
      this.skipSeparators();
      const token = this.peek();
      if (!token || bareText(token) === 'esac') break;
      // pattern ( | pattern )* )
      while (!this.done() && !this.isOp(this.peek(), ')')) this.i++;
      this.i++;
      body.push(...this.list());
      if (this.isOp(this.peek(), ';;', ';&', ';;&')) this.i++;
    }
    this.expectWord('esac');
    this.redirects();
    return { type: 'block', body };
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    while (this.peek()?.type === 'op' && REDIRECTS.has((this.peek() as { op: string }).op)) {
      const op = this.next() as Extract<Token, { type: 'op' }>;
      const target = this.peek()?.type === 'word' ? (this.next() as Extract<Token, { type: 'word' }>).word : undefined;
      out.push({ op: op.op, target, heredoc: op.heredoc });
    }
    return out;
  }

  private simple(): Command {
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    const line = this.lineOf(this.peek());
    for (let token = this.peek(); token; token = this.peek()) {
      if (token.type === 'op') {
        if (!REDIRECTS.has(token.op)) break;
        redirects.push(...this.redirects());
        continue;
      }
      this.i++;
      if (token.type === 'array') {
        assignments.push({ name: token.name, append: token.append, items: token.items });
        continue;
      }
      const assignment = asAssignment(token.word);
      // Assignments count before the command name, and as arguments of export/declare/local/readonly.
      if (assignment && (words.length === 0 || isDeclaration(words[0]))) assignments.push(assignment);
      else words.push(token.word);
    }
    return { type: 'simple', assignments, words, redirects, line };
  }

  private lineOf(token: Token | undefined): number {
    if (!token) return 0;
    return token.type === 'word' ? token.word.line : token.line;
  }
}

function isDeclaration(word: Word): boolean {
  return ['export', 'declare', 'typeset', 'local', 'readonly'].some((w) => isBare(word, w));
}

/** `NAME=value` / `NAME+=value` (the name unquoted), else undefined. */
function asAssignment(word: Word): Assignment | undefined {
  const first = word.parts[0];
  if (first?.t !== 'lit' || first.quoted) return undefined;
  const m = /^([A-Za-z_]\w*)(\+?)=/.exec(first.text);
  if (!m) return undefined;
  const rest = first.text.slice(m[0].length);
  const parts = [...(rest ? [{ ...first, text: rest }] : []), ...word.parts.slice(1)];
  return { name: m[1], append: m[2] === '+', value: { parts, line: word.line, raw: word.raw } };
}
