import { numberedLines, type ExtractedOrder, type OrderEntry } from './order-entry.js';
import { ShellReader } from './shell-script.js';

/** Text with the Makefile line each character came from (values and recipes span continuation lines). */
interface LinedText {
  text: string;
  lines: number[];
}

interface Rule {
  target: string;
  prerequisites: LinedText;
  recipe: LinedText[];
  line: number;
}

const ASSIGNMENT = /^(?:override\s+|export\s+)*([A-Za-z_][\w.-]*)\s*(::?=|:::=|\+=|\?=|!=|=)\s*/;
const RULE = /^([^:#=\t][^:=]*?)\s*::?(?!=)\s*/;

/**
 * Reads a Makefile's setup recipe: the default goal (the first target), with the targets it depends on run
 * first, as make runs them. Make variables (`$(TABLES)`, `$(addprefix …)`, `$(foreach …)`, `$(wildcard …)`,
 * `$^`) are expanded, then each recipe line is read as a shell command line (see ShellReader), so
 * `psql -f $(SCHEMA_DIR)/a.sql` and `for f in $(SQL_FILES); do psql -f $$f; done` both work. When the default
 * goal runs no `.sql` file (a `help` target), the first target that does is taken, and the notes say so.
 */
export function readMakefile(text: string, firstLine = 1): ExtractedOrder {
  const { vars, rules } = parseMakefile(text, firstLine);
  const notes: string[] = [];
  const goals = [...rules.values()].filter((r) => !r.target.startsWith('.') && !r.target.includes('%'));
  const runGoal = (goal: Rule) => {
    const entries: OrderEntry[] = [];
    const done = new Set<string>();
    const visit = (rule: Rule) => {
      if (done.has(rule.target)) return;
      done.add(rule.target);
      const prerequisites = words(expand(rule.prerequisites, vars, {}));
      for (const p of prerequisites) {
        const dependency = rules.get(p.text);
        if (dependency) visit(dependency);
      }
      const auto = automaticVariables(rule, prerequisites);
      for (const line of rule.recipe) {
        const shell = new ShellReader();
        const expanded = expand(line, vars, auto);
        shell.run({ text: expanded.text, lineOf: (o) => expanded.lines[Math.min(o, expanded.lines.length - 1)] ?? line.lines[0] });
        entries.push(...shell.entries);
        notes.push(...shell.notes);
      }
    };
    visit(goal);
    return entries;
  };
  if (goals.length === 0) return { form: 'makefile', entries: [], notes: ['no target with a recipe'] };
  let entries = runGoal(goals[0]);
  if (entries.length === 0) {
    for (const goal of goals.slice(1)) {
      entries = runGoal(goal);
      if (entries.length) {
        notes.push(`the default goal ${goals[0].target} runs no .sql file; target ${goal.target} (line ${goal.line}) does, and is read instead`);
        break;
      }
    }
  } else notes.push(`goal ${goals[0].target} (line ${goals[0].line})`);
  return { form: 'makefile', entries, notes };
}

function parseMakefile(text: string, firstLine: number): { vars: Map<string, LinedText>; rules: Map<string, Rule> } {
  const lines = numberedLines(text, firstLine);
  const vars = new Map<string, LinedText>();
  const rules = new Map<string, Rule>();
  let current: Rule[] = [];
  let skipping = false; // inside define … endef
  for (let i = 0; i < lines.length; i++) {
    const { text: raw, line } = lines[i];
    if (skipping) {
      if (/^\s*endef\b/.test(raw)) skipping = false;
      continue;
    }
    if (raw.startsWith('\t') && current.length) {
      // A recipe line; backslash-newline stays for the shell, the next line's leading tab goes (as make does).
      const recipe: LinedText = { text: '', lines: [] };
      let k = i;
      let piece = raw.slice(1);
      for (;;) {
        add(recipe, piece, lines[k].line);
        if (!piece.endsWith('\\') || k + 1 >= lines.length) break;
        add(recipe, '\n', lines[k].line);
        k++;
        piece = lines[k].text.replace(/^\t/, '');
      }
      i = k;
      const stripped = stripPrefixes(recipe);
      for (const r of current) r.recipe.push(stripped);
      continue;
    }
    // A logical line: continuation lines joined by one space, as make reads variable values and rules.
    const logical: LinedText = { text: '', lines: [] };
    let k = i;
    let piece = raw;
    for (;;) {
      const continued = /\\$/.test(piece) && !/\\\\$/.test(piece);
      add(logical, continued ? piece.slice(0, -1).trimEnd() : piece, lines[k].line);
      if (!continued || k + 1 >= lines.length) break;
      add(logical, ' ', lines[k].line);
      k++;
      piece = lines[k].text.trimStart();
    }
    i = k;
    const content = withoutComment(logical);
    const trimmed = content.text.trim();
    if (!trimmed) continue;
    if (/^define\b/.test(trimmed)) {
      skipping = true;
      current = [];
      continue;
    }
    if (/^(ifeq|ifneq|ifdef|ifndef|else|endif|include|-include|sinclude|vpath|unexport)\b/.test(trimmed)) continue;
    const assignment = ASSIGNMENT.exec(content.text);
    if (assignment) {
      const value = slice(content, assignment[0].length);
      const name = assignment[1];
      if (assignment[2] === '+=' && vars.has(name)) {
        const old = vars.get(name)!;
        vars.set(name, { text: `${old.text} ${value.text}`, lines: [...old.lines, value.lines[0] ?? line, ...value.lines] });
      } else if (assignment[2] === '?=' && vars.has(name)) {
        // keeps the earlier value
      } else if (assignment[2] === '!=') vars.set(name, { text: '$(shell)', lines: Array(8).fill(line) });
      else vars.set(name, value);
      current = [];
      continue;
    }
    const rule = RULE.exec(content.text);
    if (rule) {
      const rest = slice(content, rule[0].length);
      const semicolon = rest.text.indexOf(';');
      const prerequisites = semicolon < 0 ? rest : { text: rest.text.slice(0, semicolon), lines: rest.lines.slice(0, semicolon) };
      current = rule[1].trim().split(/\s+/).map((target) => {
        const existing = rules.get(target);
        if (existing) {
          existing.prerequisites = { text: `${existing.prerequisites.text} ${prerequisites.text}`, lines: [...existing.prerequisites.lines, line, ...prerequisites.lines] };
          return existing;
        }
        const created: Rule = { target, prerequisites, recipe: [], line };
        rules.set(target, created);
        return created;
      });
      if (semicolon >= 0) {
        const inline = stripPrefixes(slice(rest, semicolon + 1));
        for (const r of current) r.recipe.push(inline);
      }
      continue;
    }
    current = [];
  }
  return { vars, rules };
}

function add(target: LinedText, text: string, line: number): void {
  target.text += text;
  for (let i = 0; i < text.length; i++) target.lines.push(line);
}

function slice(t: LinedText, from: number, to = t.text.length): LinedText {
  return { text: t.text.slice(from, to), lines: t.lines.slice(from, to) };
}

/** A `#` outside a recipe starts a comment (`\#` is a literal #). */
function withoutComment(t: LinedText): LinedText {
  for (let i = 0; i < t.text.length; i++) if (t.text[i] === '#' && t.text[i - 1] !== '\\') return slice(t, 0, i);
  return t;
}

/** `@`, `-` and `+` before a recipe line are make's, not the shell's. */
function stripPrefixes(t: LinedText): LinedText {
  const m = /^[\s@+-]*/.exec(t.text)![0].length;
  return slice(t, m);
}

function words(t: LinedText): LinedText[] {
  const out: LinedText[] = [];
  const re = /\S+/g;
  for (let m = re.exec(t.text); m; m = re.exec(t.text)) out.push(slice(t, m.index, m.index + m[0].length));
  return out;
}

function join(parts: LinedText[], separator = ' '): LinedText {
  const out: LinedText = { text: '', lines: [] };
  parts.forEach((p, i) => {
    if (i > 0) add(out, separator, p.lines[0] ?? 0);
    out.text += p.text;
    out.lines.push(...p.lines);
  });
  return out;
}

function automaticVariables(rule: Rule, prerequisites: LinedText[]): Record<string, LinedText> {
  const unique = prerequisites.filter((p, i) => prerequisites.findIndex((q) => q.text === p.text) === i);
  return {
    '@': { text: rule.target, lines: Array(rule.target.length).fill(rule.line) },
    '<': prerequisites[0] ?? { text: '', lines: [] },
    '^': join(unique),
    '+': join(prerequisites),
  };
}

/**
 * Expands make's `$(…)`, `${…}` and `$X` references; `$$` becomes the shell's `$`. A function this reader does
 * not know (`$(shell …)`, `$(patsubst …)`) is left as written, which the shell then reads as a value it cannot
 * know.
 */
function expand(t: LinedText, vars: Map<string, LinedText>, auto: Record<string, LinedText>, depth = 0): LinedText {
  const out: LinedText = { text: '', lines: [] };
  const append = (p: LinedText) => {
    out.text += p.text;
    out.lines.push(...p.lines);
  };
  if (depth > 20) return t;
  let i = 0;
  while (i < t.text.length) {
    const c = t.text[i];
    if (c !== '$') {
      add(out, c, t.lines[i]);
      i++;
      continue;
    }
    const next = t.text[i + 1];
    if (next === '$') {
      add(out, '$', t.lines[i]);
      i += 2;
    } else if (next === '(' || next === '{') {
      const close = next === '(' ? ')' : '}';
      let depthHere = 0;
      let j = i + 1;
      for (; j < t.text.length; j++) {
        if (t.text[j] === next) depthHere++;
        else if (t.text[j] === close && --depthHere === 0) break;
      }
      const inner = slice(t, i + 2, j);
      append(reference(inner, slice(t, i, j + 1), vars, auto, depth));
      i = j + 1;
    } else if (next !== undefined) {
      const value = auto[next] ?? vars.get(next);
      append(value ? expand(value, vars, auto, depth + 1) : slice(t, i, i + 2));
      i += 2;
    } else {
      add(out, c, t.lines[i]);
      i++;
    }
  }
  return out;
}

function reference(inner: LinedText, raw: LinedText, vars: Map<string, LinedText>, auto: Record<string, LinedText>, depth: number): LinedText {
  const fn = /^([a-z-]+)[ \t]+/.exec(inner.text);
  const again = (x: LinedText) => expand(x, vars, auto, depth + 1);
  if (!fn) {
    const name = again(inner).text.trim();
    if (name.includes(':')) return raw; // $(VAR:.sql=.out): a substitution reference
    const value = auto[name] ?? vars.get(name);
    // Unset here (given on make's command line, or from the environment): a value this reader cannot know.
    return value ? again(value) : raw;
  }
  const args = splitArgs(slice(inner, fn[0].length));
  switch (fn[1]) {
    case 'wildcard':
    case 'strip':
      return again(args[0]);
    case 'sort': {
      const sorted = words(again(args[0])).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
      return join(sorted.filter((w, k) => k === 0 || w.text !== sorted[k - 1].text));
    }
    case 'addprefix':
    case 'addsuffix': {
      const affix = again(args[0]);
      return join(words(again(args[1] ?? { text: '', lines: [] })).map((w) => (fn[1] === 'addprefix' ? join([affix, w], '') : join([w, affix], ''))));
    }
    case 'foreach': {
      const name = again(args[0]).text.trim();
      const saved = vars.get(name);
      const out = words(again(args[1] ?? { text: '', lines: [] })).map((w) => {
        vars.set(name, w);
        return again(args[2] ?? { text: '', lines: [] });
      });
      if (saved) vars.set(name, saved);
      else vars.delete(name);
      return join(out);
    }
    default:
      return raw;
  }
}

/** A function's comma-separated arguments (commas inside nested parentheses do not split). */
function splitArgs(t: LinedText): LinedText[] {
  const out: LinedText[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < t.text.length; i++) {
    const c = t.text[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(slice(t, from, i));
      from = i + 1;
    }
  }
  out.push(slice(t, from));
  return out;
}
