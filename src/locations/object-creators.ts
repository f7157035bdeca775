import type { ParsedFile, ParsedStatement } from '../parse/parse-sql.js';
import { STATEMENT_OBJECTS } from './statement-objects.js';

/** Kinds a "… does not exist" error can name, by the word Postgres uses for them. */
const KINDS_NAMED: Record<string, string[]> = {
  relation: ['table', 'view', 'sequence'],
  table: ['table'],
  view: ['view'],
  sequence: ['sequence'],
  function: ['function'],
  procedure: ['function'],
  type: ['type'],
  schema: ['schema'],
  extension: ['extension'],
};

/**
 * Which reference statement first creates each object, from the parse trees: when a setup script runs a file
 * before the file that creates what it needs, the message can say which file that is. Keyed by the bare
 * object name (the error message names it as the failing statement wrote it, qualified or not).
 */
export class ObjectCreators {
  private readonly byName = new Map<string, Array<{ kind: string; statement: ParsedStatement }>>();

  constructor(files: ParsedFile[]) {
    for (const file of files) {
      for (const statement of file.statements) {
        for (const object of STATEMENT_OBJECTS[statement.type]?.(statement.node, { schema: 'public' }) ?? []) {
          if (!Object.values(KINDS_NAMED).flat().includes(object.kind) || object.renamedFrom) continue;
          const name = object.key.split('.').pop()!;
          const list = this.byName.get(name) ?? [];
          if (!list.some((c) => c.kind === object.kind)) list.push({ kind: object.kind, statement });
          this.byName.set(name, list);
        }
      }
    }
  }

  /**
   * The statement that creates what a Postgres "does not exist" message names (`relation "x" does not exist`,
   * `function f(integer) does not exist`, `type "t" does not exist`), or undefined.
   */
  creatorOf(message: string): { what: string; statement: ParsedStatement } | undefined {
    const m = /^(relation|table|view|sequence|type|schema|extension) "([^"]+)" does not exist/.exec(message) ?? /^(function|procedure) ([^\s(]+)\(.*\) does not exist/.exec(message);
    if (!m) return undefined;
    const name = m[2].replace(/"/g, '').split('.').pop()!;
    const kinds = KINDS_NAMED[m[1]];
    const found = this.byName.get(name)?.find((c) => kinds.includes(c.kind));
    return found ? { what: `${m[1]} ${name}`, statement: found.statement } : undefined;
  }
}
