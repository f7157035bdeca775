import { qualify, type ObjectKind } from '../catalog/catalog-object.js';
import { constraintName, indexName, type ConstraintLabel } from './postgres-names.js';

/** An object a statement defines or changes; `at` is the byte offset of the node that names it, when it has one. */
export interface StatementObject {
  kind: ObjectKind;
  /** The same schema-qualified identity the catalog kinds produce (see qualify()). */
  key: string;
  at?: number;
  /** The object had this key before the statement (ALTER TABLE … RENAME): its children move with it. */
  renamedFrom?: string;
}

/** What a statement needs to know about the statements before it in the same file. */
export interface StatementContext {
  /** First schema of the search_path: where unqualified names go. */
  schema: string;
}

/**
 * Which objects one statement defines or changes. One entry per parse-tree node type: adding an object kind
 * to the locator is adding (or extending) its entry here, with the key shape its catalog kind uses.
 * Statements not listed (DROP, INSERT, COMMENT, …) locate nothing.
 */
export const STATEMENT_OBJECTS: Record<string, (node: Record<string, any>, ctx: StatementContext) => StatementObject[]> = {
  CreateStmt(n, ctx) {
    const t = relation(n.relation, ctx);
    const out: StatementObject[] = [{ kind: 'table', key: qualify(t.schema, t.name) }];
    for (const element of n.tableElts ?? []) {
      if (element.ColumnDef) out.push(...columnObjects(element.ColumnDef, t));
      if (element.Constraint) out.push(...constraintObjects(element.Constraint, t));
    }
    return out;
  },
  AlterTableStmt(n, ctx) {
    if (n.objtype && n.objtype !== 'OBJECT_TABLE') return [];
    const t = relation(n.relation, ctx);
    return (n.cmds ?? []).flatMap((c: Record<string, any>) => alterTableCommand(c.AlterTableCmd ?? {}, t));
  },
  IndexStmt(n, ctx) {
    const t = relation(n.relation, ctx);
    const params = [...(n.indexParams ?? []), ...(n.indexIncludingParams ?? [])].map((p: Record<string, any>) => indexColumnName(p.IndexElem ?? {}));
    return [{ kind: 'index', key: qualify(t.schema, n.idxname ?? indexName(t.name, params)) }];
  },
  CreatePolicyStmt: (n, ctx) => tableChild('policy', n.table, n.policy_name, ctx),
  AlterPolicyStmt: (n, ctx) => tableChild('policy', n.table, n.policy_name, ctx),
  CreateTrigStmt: (n, ctx) => tableChild('trigger', n.relation, n.trigname, ctx),
  // Functions are keyed by name here; the catalog key adds argument types, matched by the locator's fallback.
  CreateFunctionStmt: (n, ctx) => [{ kind: 'function', key: qualifiedName(n.funcname, ctx) }],
  CreateSchemaStmt: (n) => (n.schemaname ? [{ kind: 'schema', key: n.schemaname }] : []),
  CreateExtensionStmt: (n) => [{ kind: 'extension', key: n.extname }],
  ViewStmt: (n, ctx) => relationObject('view', n.view, ctx),
  CreateSeqStmt: (n, ctx) => relationObject('sequence', n.sequence, ctx),
  AlterSeqStmt: (n, ctx) => relationObject('sequence', n.sequence, ctx),
  CompositeTypeStmt: (n, ctx) => relationObject('type', n.typevar, ctx),
  CreateEnumStmt: (n, ctx) => [{ kind: 'type', key: qualifiedName(n.typeName, ctx) }],
  AlterEnumStmt: (n, ctx) => [{ kind: 'type', key: qualifiedName(n.typeName, ctx) }],
  CreateDomainStmt: (n, ctx) => [{ kind: 'type', key: qualifiedName(n.domainname, ctx) }],
  AlterDomainStmt: (n, ctx) => [{ kind: 'type', key: qualifiedName(n.typeName, ctx) }],
  CreateRangeStmt: (n, ctx) => [{ kind: 'type', key: qualifiedName(n.typeName, ctx) }],
  // CREATE MATERIALIZED VIEW … AS parses as CREATE TABLE AS with a materialized-view target.
  CreateTableAsStmt: (n, ctx) => (n.objtype === 'OBJECT_MATVIEW' ? relationObject('view', n.into?.rel, ctx) : relationObject('table', n.into?.rel, ctx)),
  RenameStmt(n, ctx) {
    if (!n.relation || !n.newname) return [];
    const t = relation(n.relation, ctx);
    switch (n.renameType) {
      case 'OBJECT_TABLE':
        return [{ kind: 'table', key: qualify(t.schema, n.newname), renamedFrom: qualify(t.schema, t.name) }];
      case 'OBJECT_INDEX':
        return [{ kind: 'index', key: qualify(t.schema, n.newname) }];
      case 'OBJECT_COLUMN':
        return [{ kind: 'column', key: qualify(t.schema, t.name, n.newname) }];
      case 'OBJECT_TABCONSTRAINT':
        return [{ kind: 'constraint', key: qualify(t.schema, t.name, n.newname) }];
      case 'OBJECT_POLICY':
        return [{ kind: 'policy', key: qualify(t.schema, t.name, n.newname) }];
      case 'OBJECT_TRIGGER':
        return [{ kind: 'trigger', key: qualify(t.schema, t.name, n.newname) }];
      default:
        return [];
    }
  },
};

/** ALTER TABLE sub-commands that change one column (named in `name`). */
const COLUMN_COMMANDS = new Set([
  'AT_ColumnDefault', 'AT_CookedColumnDefault', 'AT_DropNotNull', 'AT_SetNotNull', 'AT_SetExpression', 'AT_DropExpression',
  'AT_AlterColumnType', 'AT_AddIdentity', 'AT_SetIdentity', 'AT_DropIdentity', 'AT_SetCompression', 'AT_SetStorage',
]);
/** ALTER TABLE sub-commands that change attributes of the table itself. */
const TABLE_COMMANDS = new Set([
  'AT_EnableRowSecurity', 'AT_DisableRowSecurity', 'AT_ForceRowSecurity', 'AT_NoForceRowSecurity', 'AT_SetRelOptions',
  'AT_ResetRelOptions', 'AT_ReplaceRelOptions', 'AT_SetLogged', 'AT_SetUnLogged', 'AT_AttachPartition',
]);
const TRIGGER_COMMANDS = new Set(['AT_EnableTrig', 'AT_EnableAlwaysTrig', 'AT_EnableReplicaTrig', 'AT_DisableTrig']);

function alterTableCommand(cmd: Record<string, any>, t: Relation): StatementObject[] {
  const subtype: string = cmd.subtype ?? '';
  if (subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) return columnObjects(cmd.def.ColumnDef, t);
  if (subtype === 'AT_AddConstraint' && cmd.def?.Constraint) return constraintObjects(cmd.def.Constraint, t);
  if (COLUMN_COMMANDS.has(subtype) && cmd.name) return [{ kind: 'column', key: qualify(t.schema, t.name, cmd.name) }];
  if (TABLE_COMMANDS.has(subtype)) return [{ kind: 'table', key: qualify(t.schema, t.name) }];
  if (TRIGGER_COMMANDS.has(subtype) && cmd.name) return [{ kind: 'trigger', key: qualify(t.schema, t.name, cmd.name) }];
  if ((subtype === 'AT_AlterConstraint' || subtype === 'AT_ValidateConstraint') && (cmd.name ?? cmd.def?.Constraint?.conname)) {
    return [{ kind: 'constraint', key: qualify(t.schema, t.name, cmd.name ?? cmd.def.Constraint.conname) }];
  }
  return [];
}

function columnObjects(def: Record<string, any>, t: Relation): StatementObject[] {
  const out: StatementObject[] = [{ kind: 'column', key: qualify(t.schema, t.name, def.colname), at: def.location }];
  for (const c of def.constraints ?? []) if (c.Constraint) out.push(...constraintObjects(c.Constraint, t, def.colname));
  return out;
}

const LABELS: Record<string, ConstraintLabel> = {
  CONSTR_PRIMARY: 'pkey',
  CONSTR_UNIQUE: 'key',
  CONSTR_FOREIGN: 'fkey',
  CONSTR_CHECK: 'check',
  CONSTR_EXCLUSION: 'excl',
};

/** A table or column constraint; `column` is set for a constraint written on a column. */
function constraintObjects(c: Record<string, any>, t: Relation, column?: string): StatementObject[] {
  const label = LABELS[c.contype];
  if (!label) return []; // NOT NULL, DEFAULT, GENERATED…: column attributes, located with the column
  const name = c.conname ?? constraintName(t.name, label, autoNameColumns(c, label, column));
  const out: StatementObject[] = [{ kind: 'constraint', key: qualify(t.schema, t.name, name), at: c.location }];
  // Primary keys, unique and exclusion constraints create an index of the same name.
  if (label === 'pkey' || label === 'key' || label === 'excl') out.push({ kind: 'index', key: qualify(t.schema, name), at: c.location });
  return out;
}

/** The name Postgres gives an index column when naming the index (FigureIndexColname): expressions by their function. */
function indexColumnName(elem: Record<string, any>): string {
  return elem.indexcolname ?? elem.name ?? (elem.expr ? expressionName(elem.expr) : undefined) ?? 'expr';
}

function expressionName(node: Record<string, any>): string | undefined {
  if (node.ColumnRef) return columnRefs(node)[0];
  if (node.FuncCall) return node.FuncCall.funcname?.at(-1)?.String?.sval;
  if (node.TypeCast) return expressionName(node.TypeCast.arg ?? {}) ?? node.TypeCast.typeName?.names?.at(-1)?.String?.sval;
  if (node.A_Indirection) return node.A_Indirection.indirection?.at(-1)?.String?.sval ?? expressionName(node.A_Indirection.arg ?? {});
  if (node.CaseExpr) return 'case';
  if (node.CoalesceExpr) return 'coalesce';
  if (node.MinMaxExpr) return node.MinMaxExpr.op === 'IS_GREATEST' ? 'greatest' : 'least';
  if (node.A_ArrayExpr) return 'array';
  if (node.RowExpr) return 'row';
  return undefined;
}

/** The columns Postgres puts into an automatic constraint name. */
function autoNameColumns(c: Record<string, any>, label: ConstraintLabel, column?: string): string[] {
  const names = (list?: Array<Record<string, any>>) => (list ?? []).map((x) => x.String?.sval).filter(Boolean) as string[];
  switch (label) {
    case 'key':
      return c.keys ? names(c.keys) : column ? [column] : [];
    case 'fkey':
      return c.fk_attrs ? names(c.fk_attrs) : column ? [column] : [];
    case 'excl':
      return (c.exclusions ?? []).map((e: Record<string, any>) => indexColumnName(e.List?.items?.[0]?.IndexElem ?? {}));
    case 'check': {
      // Postgres names a CHECK after its column only when the expression uses exactly one column.
      const used = new Set(columnRefs(c.raw_expr));
      return used.size === 1 ? [...used] : [];
    }
    default:
      return [];
  }
}

function columnRefs(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap(columnRefs);
  const record = node as Record<string, any>;
  if (record.ColumnRef) {
    const fields: Array<Record<string, any>> = record.ColumnRef.fields ?? [];
    const last = fields[fields.length - 1]?.String?.sval;
    return last ? [last] : [];
  }
  return Object.values(record).flatMap(columnRefs);
}

interface Relation {
  schema: string;
  name: string;
}

function relation(rangeVar: Record<string, any> | undefined, ctx: StatementContext): Relation {
  return { schema: rangeVar?.schemaname ?? ctx.schema, name: rangeVar?.relname ?? '' };
}

function relationObject(kind: ObjectKind, rangeVar: Record<string, any> | undefined, ctx: StatementContext): StatementObject[] {
  if (!rangeVar) return [];
  const r = relation(rangeVar, ctx);
  return [{ kind, key: qualify(r.schema, r.name) }];
}

function tableChild(kind: ObjectKind, rangeVar: Record<string, any> | undefined, name: string | undefined, ctx: StatementContext): StatementObject[] {
  if (!rangeVar || !name) return [];
  const t = relation(rangeVar, ctx);
  return [{ kind, key: qualify(t.schema, t.name, name) }];
}

/** `[schema.]name` from a list of String nodes (function and type names). */
function qualifiedName(parts: Array<Record<string, any>> | undefined, ctx: StatementContext): string {
  const names = (parts ?? []).map((p) => p.String?.sval as string);
  return names.length >= 2 ? qualify(names[names.length - 2], names[names.length - 1]) : qualify(ctx.schema, names[0] ?? '');
}
