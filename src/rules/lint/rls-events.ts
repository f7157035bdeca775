import { qualify } from '../../catalog/catalog-object.js';
import type { ParsedFile, ParsedStatement } from '../../parse/parse-sql.js';
import type { StatementFacts } from './lint-rule.js';
import { rangeVarName } from './statement-relations.js';

/** A statement of a linted migration that enabled row level security on a table, or created a policy. */
export interface RlsEvent {
  table: string;
  /** The policy's schema-qualified key (table.policy), for CREATE POLICY. */
  policy?: string;
  statement: ParsedStatement;
  file: ParsedFile;
  /** The table was resolved in the database (false: by name, for an untraced file). */
  traced: boolean;
}

/** What the statement did to row level security, with the table resolved as the statement saw it. */
export function rlsEvent(facts: StatementFacts): RlsEvent | undefined {
  const s = facts.statement;
  if (s.type === 'AlterTableStmt') {
    const enables = (s.node.cmds ?? []).some((c: Record<string, any>) => c.AlterTableCmd?.subtype === 'AT_EnableRowSecurity');
    const table = enables ? facts.relation(rangeVarName(s.node.relation)) : undefined;
    return table ? { table: table.name, statement: s, file: facts.file, traced: facts.traced } : undefined;
  }
  if (s.type === 'CreatePolicyStmt') {
    const table = facts.relation(rangeVarName(s.node.table));
    return table ? { table: table.name, policy: `${table.name}.${qualify(s.node.policy_name)}`, statement: s, file: facts.file, traced: facts.traced } : undefined;
  }
  return undefined;
}

/** Keeps the events of one lint run, forgetting those of a file that is applied again. */
export class RlsEvents {
  private events: RlsEvent[] = [];
  record(facts: StatementFacts, kind: 'enable' | 'policy'): void {
    const e = rlsEvent(facts);
    if (e && (kind === 'policy') === (e.policy !== undefined)) this.events.push(e);
  }
  forget(file: ParsedFile): void {
    this.events = this.events.filter((e) => e.file !== file);
  }
  all(): RlsEvent[] {
    return this.events;
  }
}
