import type { ParsedStatement } from '../../parse/parse-sql.js';
import type { NamedRelation, ObservedLock, WrittenName } from './lint-rule.js';
import { namedRelations, rangeVarName } from './statement-relations.js';

/** ALTER TABLE sub-commands that take less than ACCESS EXCLUSIVE (Postgres's AlterTableGetLockLevel). */
const ALTER_TABLE_LOCKS: Record<string, string> = {
  AT_ValidateConstraint: 'ShareUpdateExclusiveLock',
  AT_SetStatistics: 'ShareUpdateExclusiveLock',
  AT_ClusterOn: 'ShareUpdateExclusiveLock',
  AT_DropCluster: 'ShareUpdateExclusiveLock',
  AT_SetRelOptions: 'ShareUpdateExclusiveLock',
  AT_ResetRelOptions: 'ShareUpdateExclusiveLock',
  AT_AttachPartition: 'ShareUpdateExclusiveLock',
  AT_EnableTrig: 'ShareRowExclusiveLock',
  AT_EnableAlwaysTrig: 'ShareRowExclusiveLock',
  AT_EnableReplicaTrig: 'ShareRowExclusiveLock',
  AT_DisableTrig: 'ShareRowExclusiveLock',
};

const STRENGTH = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

/**
 * The locks a statement is documented to take, for a statement that could not be traced (the fallback,
 * reported with `traced: false`). Only the named relations are known; indexes and partitions a statement
 * also locks are not.
 */
export function staticLocks(statement: ParsedStatement, relation: (w: WrittenName) => NamedRelation | undefined): ObservedLock[] {
  const n = statement.node;
  const on = (w: WrittenName, mode: string, kind?: string): ObservedLock[] => {
    const r = relation(w);
    return r ? [{ relation: r.name, mode, kind: kind ?? r.kind, preExisting: r.preExisting }] : [];
  };
  const first = namedRelations(statement)[0];
  switch (statement.type) {
    case 'AlterTableStmt': {
      const cmds = (n.cmds ?? []).map((c: Record<string, any>) => c.AlterTableCmd ?? {});
      const modes = cmds.map((c: Record<string, any>) => {
        if (c.subtype === 'AT_AddConstraint' && c.def?.Constraint?.contype === 'CONSTR_FOREIGN') return 'ShareRowExclusiveLock';
        return ALTER_TABLE_LOCKS[c.subtype] ?? 'AccessExclusiveLock';
      });
      const mode = modes.reduce((a: string, b: string) => (STRENGTH.indexOf(b) > STRENGTH.indexOf(a) ? b : a), 'AccessShareLock');
      const referenced = cmds.flatMap((c: Record<string, any>) => (c.def?.Constraint?.pktable ? on(rangeVarName(c.def.Constraint.pktable), 'ShareRowExclusiveLock') : []));
      return [...on(rangeVarName(n.relation), mode), ...referenced];
    }
    case 'IndexStmt':
      return on(first, n.concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
    case 'DropStmt':
      return namedRelations(statement).flatMap((w) => on(w, n.concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock', n.removeType === 'OBJECT_INDEX' ? 'i' : undefined));
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'InsertStmt':
      return on(first, 'RowExclusiveLock');
    case 'CreateTrigStmt':
      return on(first, 'ShareRowExclusiveLock');
    case 'VacuumStmt':
      return namedRelations(statement).flatMap((w) => on(w, JSON.stringify(n.options ?? []).includes('"full"') ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock'));
    case 'RefreshMatViewStmt':
      return on(first, n.concurrent ? 'ExclusiveLock' : 'AccessExclusiveLock');
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
    case 'TruncateStmt':
    case 'ClusterStmt':
    case 'RenameStmt':
      return namedRelations(statement).flatMap((w) => on(w, 'AccessExclusiveLock'));
    default:
      return [];
  }
}
