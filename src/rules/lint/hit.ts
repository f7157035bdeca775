import type { LintHit, ObservedLock, RelationLock, StatementFacts } from './lint-rule.js';

/** A hit at the statement of `facts`, carrying the locks it took and whether they were observed. */
export function hitAt(facts: StatementFacts, object: string, message: string, hint: string, rewrite = false): LintHit {
  return { statement: facts.statement, object, message, hint, locks: plainLocks(facts.locks), rewrite, traced: facts.traced };
}

export function plainLocks(locks: ObservedLock[]): RelationLock[] {
  return locks.map(({ relation, mode }) => ({ relation, mode }));
}

/** `AccessExclusiveLock` → `ACCESS EXCLUSIVE`, as the Postgres docs name lock modes. */
export function lockName(mode: string): string {
  return mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

/** How the statement's text starts, for messages: `ALTER TABLE`, `CREATE INDEX`, `UPDATE`. */
export function verb(facts: StatementFacts): string {
  const words = facts.statement.sql.replace(/\s+/g, ' ').split(' ');
  const two = words.slice(0, 2).join(' ').toUpperCase();
  return /^(ALTER|CREATE|DROP) /.test(two) ? two : words[0].toUpperCase();
}

/** The note on a statement that could not be traced. */
export function staticNote(facts: StatementFacts): string {
  return facts.traced ? '' : ' (not traced: judged from the statement text)';
}
