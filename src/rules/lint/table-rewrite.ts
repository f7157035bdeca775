import type { LintRule, StatementFacts } from './lint-rule.js';
import { hitAt, verb } from './hit.js';
import { rangeVarName } from './statement-relations.js';

/**
 * `table-rewrite`: the statement replaced the storage of a table that existed before the migration
 * (pg_class.relfilenode changed): every row is copied while ACCESS EXCLUSIVE blocks reads and writes. Traced,
 * so `varchar(10)` → `text` or `ADD COLUMN … DEFAULT 0` (no rewrite since Postgres 11) are not reported, while
 * `DEFAULT clock_timestamp()` or `int` → `bigint` are.
 */
export const tableRewrite: LintRule = {
  code: 'table-rewrite',
  severity: 'error',
  title: 'A statement rewrote a table that existed before the migration (every row copied under ACCESS EXCLUSIVE)',
  create: () => ({
    check(facts) {
      // TRUNCATE also gives the table new storage, but empties it rather than copying it.
      if (facts.statement.type === 'TruncateStmt') return [];
      const tables = facts.traced ? facts.rewritten : staticRewrites(facts);
      return tables.map((table) =>
        hitAt(
          facts,
          table,
          `${verb(facts)} rewrote ${table}, which existed before this migration${facts.traced ? '' : ' (not traced: judged from the statement text)'}: every row is copied into new storage, and reads and writes of the table wait until it is done`,
          hint(facts),
          true,
        ),
      );
    },
  }),
};

function hint(facts: StatementFacts): string {
  const cmds = alterCommands(facts);
  if (cmds.some((c) => c.subtype === 'AT_AlterColumnType')) {
    return 'Add a new column of the new type, backfill it in batches, switch readers and writers over, then drop the old column; changes that keep the binary format (varchar(n) → varchar(m > n) or text) need no rewrite';
  }
  if (cmds.some((c) => c.subtype === 'AT_AddColumn')) {
    return 'Add the column without a default or with a constant one (no rewrite since Postgres 11), backfill the volatile value in batches, then SET DEFAULT for new rows';
  }
  return 'Run it when the table may be unavailable for the time a full copy takes, or use an online alternative (e.g. pg_repack for CLUSTER / VACUUM FULL)';
}

function alterCommands(facts: StatementFacts): Array<Record<string, any>> {
  return facts.statement.type === 'AlterTableStmt' ? (facts.statement.node.cmds ?? []).map((c: Record<string, any>) => c.AlterTableCmd ?? {}) : [];
}

/** Untraced: the statements Postgres documents as rewriting. */
function staticRewrites(facts: StatementFacts): string[] {
  const n = facts.statement.node;
  const rewrites =
    (facts.statement.type === 'AlterTableStmt' && alterCommands(facts).some(rewritesTable)) ||
    facts.statement.type === 'ClusterStmt' ||
    (facts.statement.type === 'VacuumStmt' && JSON.stringify(n.options ?? []).includes('"full"'));
  if (!rewrites) return [];
  const target = facts.statement.type === 'VacuumStmt' ? n.rels?.[0]?.VacuumRelation?.relation : n.relation;
  const r = target ? facts.relation(rangeVarName(target)) : undefined;
  return r?.preExisting ? [r.name] : [];
}

function rewritesTable(cmd: Record<string, any>): boolean {
  if (cmd.subtype === 'AT_AlterColumnType' || cmd.subtype === 'AT_SetLogged' || cmd.subtype === 'AT_SetUnLogged' || cmd.subtype === 'AT_SetAccessMethod') return true;
  if (cmd.subtype !== 'AT_AddColumn') return false;
  const constraints: Array<Record<string, any>> = (cmd.def?.ColumnDef?.constraints ?? []).map((c: Record<string, any>) => c.Constraint ?? {});
  return constraints.some((c) => c.contype === 'CONSTR_GENERATED' || c.contype === 'CONSTR_IDENTITY' || (c.contype === 'CONSTR_DEFAULT' && !isConstant(c.raw_expr)));
}

/** A literal, possibly cast (`0`, `'x'::text`): evaluated once, so adding the column needs no rewrite. */
function isConstant(expr: Record<string, any> | undefined): boolean {
  if (!expr) return true;
  if (expr.A_Const) return true;
  if (expr.TypeCast) return isConstant(expr.TypeCast.arg);
  return false;
}
