import type { CatalogObject } from '../../catalog/catalog-object.js';
import { objectId } from '../../catalog/dependencies.js';
import { statement, type FixStatement, type KindGenerator } from '../fix-statement.js';
import { splitKey, sqlName } from '../sql-names.js';

function options(a: CatalogObject['attributes']): string {
  return `AS ${a.type} INCREMENT BY ${a.increment} MINVALUE ${a.min} MAXVALUE ${a.max} START WITH ${a.start} CACHE ${a.cache} ${a.cycle ? 'CYCLE' : 'NO CYCLE'}`;
}

/** OWNED BY needs the column, and the column's default needs the sequence: a statement of its own. */
function ownedBy(sequence: CatalogObject): FixStatement {
  const owner = sequence.attributes.ownedBy;
  const column = owner === null ? 'NONE' : sqlName(String(owner));
  return statement(sequence, 'alter', `ALTER SEQUENCE ${sqlName(sequence.key)} OWNED BY ${column}`, {
    provides: [],
    needs: owner === null ? [] : [objectId('column', String(owner))],
  });
}

export const sequenceGenerator: KindGenerator = {
  kind: 'sequence',
  create(sequence) {
    const out = [statement(sequence, 'create', `CREATE SEQUENCE ${sqlName(sequence.key)} ${options(sequence.attributes)}`, { needs: [objectId('schema', splitKey(sequence.key).parts[0])] })];
    if (sequence.attributes.ownedBy !== null) out.push(ownedBy(sequence));
    return out;
  },
  drop(sequence) {
    return [statement(sequence, 'drop', `DROP SEQUENCE ${sqlName(sequence.key)}`)];
  },
  /** Only the options that differ; a higher minimum also restarts the sequence there (Postgres requires it). */
  alter(wanted, current, changed) {
    const out: FixStatement[] = [];
    const a = wanted.attributes;
    const words: Record<string, string> = {
      type: `AS ${a.type}`, increment: `INCREMENT BY ${a.increment}`, min: `MINVALUE ${a.min}`, max: `MAXVALUE ${a.max}`,
      start: `START WITH ${a.start}`, cache: `CACHE ${a.cache}`, cycle: a.cycle ? 'CYCLE' : 'NO CYCLE',
    };
    const set = changed.filter((f) => f in words).map((f) => words[f]);
    if (changed.includes('min') && BigInt(String(a.min)) > BigInt(String(current.attributes.min))) set.push(`RESTART WITH ${a.start}`);
    if (set.length) out.push(statement(wanted, 'alter', `ALTER SEQUENCE ${sqlName(wanted.key)} ${set.join(' ')}`));
    if (changed.includes('ownedBy')) out.push(ownedBy(wanted));
    return out;
  },
};
