import type { ParsedStatement } from '../../parse/parse-sql.js';
import type { WrittenName } from './lint-rule.js';

/**
 * The relations a statement names that the lint rules ask about: the table an ALTER TABLE, CREATE INDEX,
 * UPDATE, DELETE, INSERT, CREATE POLICY or TRUNCATE works on, the indexes a DROP INDEX drops, the table a
 * foreign key references. The tracer resolves them in the database just before the statement runs.
 */
export function namedRelations(statement: ParsedStatement): WrittenName[] {
  const n = statement.node;
  switch (statement.type) {
    case 'AlterTableStmt': {
      const referenced = (n.cmds ?? []).flatMap((c: Record<string, any>) => {
        const pk = c.AlterTableCmd?.def?.Constraint?.pktable;
        return pk ? [rangeVarName(pk)] : [];
      });
      return [rangeVarName(n.relation), ...referenced];
    }
    case 'IndexStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'InsertStmt':
    case 'ClusterStmt':
    case 'RefreshMatViewStmt':
    case 'CreateTrigStmt':
    case 'RenameStmt':
      return n.relation ? [rangeVarName(n.relation)] : [];
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return n.table ? [rangeVarName(n.table)] : [];
    case 'TruncateStmt':
      return (n.relations ?? []).map((r: Record<string, any>) => rangeVarName(r.RangeVar ?? r));
    case 'VacuumStmt':
      return (n.rels ?? []).flatMap((r: Record<string, any>) => (r.VacuumRelation?.relation ? [rangeVarName(r.VacuumRelation.relation)] : []));
    case 'DropStmt':
      if (!['OBJECT_INDEX', 'OBJECT_TABLE', 'OBJECT_MATVIEW'].includes(n.removeType)) return [];
      return (n.objects ?? []).map((o: Record<string, any>) => listName(o.List?.items ?? []));
    default:
      return [];
  }
}

export function rangeVarName(rv: Record<string, any> | undefined): WrittenName {
  return { schema: rv?.schemaname || undefined, name: rv?.relname ?? '' };
}

/** `[schema, name]` or `[name]` as the parser gives qualified names (String nodes). */
export function listName(items: Array<Record<string, any>>): WrittenName {
  const parts = items.map((i) => String(i.String?.sval ?? ''));
  return parts.length > 1 ? { schema: parts[parts.length - 2], name: parts[parts.length - 1] } : { name: parts[0] ?? '' };
}

/** The lookup key of a written name. */
export function writtenKey(w: WrittenName): string {
  return `${w.schema ?? ''}\u0000${w.name}`;
}

/** A written name as text for to_regclass: every part quoted, as the parser already folded case. */
export function regclassText(w: WrittenName): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return w.schema ? `${quote(w.schema)}.${quote(w.name)}` : quote(w.name);
}
