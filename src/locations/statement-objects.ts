import { qualify, type ObjectKind } from '../catalog/catalog-object.js';
import { constraintName, indexName, type ConstraintLabel } from './postgres-names.js';

/** An object a statement defines or changes; `at` is the byte offset of the node that names it, when it has one. */
export interface StatementObject {
  kind: ObjectKind;
  /** The same schema-qualified identity the catalog kinds produce (see qualify()). */
  key: string;
  at?: number;
  /**
   * The compared attributes (the kind's field names) this statement sets, when it changes only some of them
   * (`ALTER COLUMN … SET DEFAULT` sets `default`); absent when the statement defines the whole object.
   * A finding about one attribute is located at the statement that set it, not at the last one that touched
   * the object.
   */
  sets?: string[];
  /** The object had this key before the statement (… RENAME): where it was defined moves with it, and a table's children too. */
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
    return (n.cmds ?? []).flatMap((c: Record<string, any>) => alterTableCommand(c.AlterTableCmd ?? {}, t, ctx));
  },
  IndexStmt(n, ctx) {
    const t = relation(n.relation, ctx);
    const params = [...(n.indexParams ?? []), ...(n.indexIncludingParams ?? [])].map((p: Record<string, any>) => indexColumnName(p.IndexElem ?? {}));
    return [{ kind: 'index', key: qualify(t.schema, n.idxname ?? indexName(t.name, params)) }];
  },
  CreatePolicyStmt: (n, ctx) => tableChild('policy', n.table, n.policy_name, ctx),
  AlterPolicyStmt: (n, ctx) =>
    tableChild('policy', n.table, n.policy_name, ctx).map((o) => ({
      ...o,
      sets: [n.roles && 'roles', n.qual && 'using', n.with_check && 'withCheck'].filter(Boolean) as string[],
    })),
  CreateTrigStmt: (n, ctx) => tableChild('trigger', n.relation, n.trigname, ctx),
  // Functions are keyed by name here; the catalog key adds argument types, matched by the locator's fallback.
  CreateFunctionStmt: (n, ctx) => [{ kind: 'function', key: qualifiedName(n.funcname, ctx) }],
  CreateSchemaStmt: (n) => (n.schemaname ? [{ kind: 'schema', key: n.schemaname }] : []),
  CreateExtensionStmt: (n) => [{ kind: 'extension', key: n.extname }],
  CreatePublicationStmt: (n) => [{ kind: 'publication', key: n.pubname }],
  AlterPublicationStmt: (n) => [{ kind: 'publication', key: n.pubname }],
  CreateEventTrigStmt: (n) => [{ kind: 'event-trigger', key: n.trigname }],
  AlterEventTrigStmt: (n) => [{ kind: 'event-trigger', key: n.trigname }],
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
  // A rename sets no compared attribute: the object keeps where its attributes were set, under its new key.
  RenameStmt(n, ctx) {
    if (!n.relation || !n.newname) return [];
    const t = relation(n.relation, ctx);
    const renamed = (kind: ObjectKind, ...parent: string[]): StatementObject[] => [
      { kind, key: qualify(...parent, n.newname), renamedFrom: qualify(...parent, n.subname), sets: [] },
    ];
    switch (n.renameType) {
      case 'OBJECT_TABLE':
        return [{ kind: 'table', key: qualify(t.schema, n.newname), renamedFrom: qualify(t.schema, t.name), sets: [] }];
      case 'OBJECT_INDEX':
        return [{ kind: 'index', key: qualify(t.schema, n.newname), renamedFrom: qualify(t.schema, t.name), sets: [] }];
      case 'OBJECT_COLUMN':
        return n.subname ? renamed('column', t.schema, t.name) : [];
      case 'OBJECT_TABCONSTRAINT':
        return n.subname ? renamed('constraint', t.schema, t.name) : [];
      case 'OBJECT_POLICY':
        return n.subname ? renamed('policy', t.schema, t.name) : [];
      case 'OBJECT_TRIGGER':
        return n.subname ? renamed('trigger', t.schema, t.name) : [];
      default:
        return [];
    }
  },
};

/**
 * ALTER TABLE sub-commands that change one column (named in `name`), with the column attributes (the column
 * kind's fields) each sets. Storage and compression are not compared: they touch the column, set nothing.
 */
const COLUMN_COMMANDS: Record<string, string[]> = {
  AT_ColumnDefault: ['default'],
  AT_CookedColumnDefault: ['default'],
  AT_DropNotNull: ['nullable'],
  AT_SetNotNull: ['nullable'],
  AT_SetExpression: ['generated'],
  AT_DropExpression: ['generated'],
  // ALTER COLUMN … TYPE also sets the collation (COLLATE, or the new type's default).
  AT_AlterColumnType: ['type', 'collation'],
  AT_AddIdentity: ['identity'],
  AT_SetIdentity: ['identity'],
  AT_DropIdentity: ['identity'],
  AT_SetCompression: [],
  AT_SetStorage: [],
};
/** ALTER TABLE sub-commands that change attributes of the table itself (the table kind's fields). */
const TABLE_COMMANDS: Record<string, string[]> = {
  AT_EnableRowSecurity: ['rowSecurity'],
  AT_DisableRowSecurity: ['rowSecurity'],
  AT_ForceRowSecurity: ['forceRowSecurity'],
  AT_NoForceRowSecurity: ['forceRowSecurity'],
  AT_SetRelOptions: ['options'],
  AT_ResetRelOptions: ['options'],
  AT_ReplaceRelOptions: ['options'],
  AT_SetLogged: ['persistence'],
  AT_SetUnLogged: ['persistence'],
  AT_AttachPartition: [],
  AT_DetachPartition: [],
};
const TRIGGER_COMMANDS = new Set(['AT_EnableTrig', 'AT_EnableAlwaysTrig', 'AT_EnableReplicaTrig', 'AT_DisableTrig']);

function alterTableCommand(cmd: Record<string, any>, t: Relation, ctx: StatementContext): StatementObject[] {
  const subtype: string = cmd.subtype ?? '';
  if (subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) return columnObjects(cmd.def.ColumnDef, t);
  if (subtype === 'AT_AddConstraint' && cmd.def?.Constraint) return constraintObjects(cmd.def.Constraint, t);
  if (COLUMN_COMMANDS[subtype] && cmd.name) return [{ kind: 'column', key: qualify(t.schema, t.name, cmd.name), sets: COLUMN_COMMANDS[subtype] }];
  if (TABLE_COMMANDS[subtype]) {
    const table: StatementObject = { kind: 'table', key: qualify(t.schema, t.name), sets: TABLE_COMMANDS[subtype] };
    // Attaching or detaching a partition is written on the parent but sets what the partition is part of.
    const partition = cmd.def?.PartitionCmd?.name;
    if (!partition) return [table];
    const p = relation(partition, ctx);
    return [table, { kind: 'table', key: qualify(p.schema, p.name), sets: ['partitionOf', 'partitionBound'] }];
  }
  if (TRIGGER_COMMANDS.has(subtype) && cmd.name) return [{ kind: 'trigger', key: qualify(t.schema, t.name, cmd.name), sets: ['enabled'] }];
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
  // A table-level primary key makes its columns NOT NULL (ALTER TABLE … ADD PRIMARY KEY on a nullable column).
  if (label === 'pkey' && !column) {
    for (const key of stringValues(c.keys)) out.push({ kind: 'column', key: qualify(t.schema, t.name, key), at: c.location, sets: ['nullable'] });
  }
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

/** The names in a list of String nodes (key columns, …). */
function stringValues(list?: Array<Record<string, any>>): string[] {
  return (list ?? []).map((x) => x.String?.sval).filter(Boolean) as string[];
}

/** The columns Postgres puts into an automatic constraint name. */
function autoNameColumns(c: Record<string, any>, label: ConstraintLabel, column?: string): string[] {
  switch (label) {
    case 'key':
      return c.keys ? stringValues(c.keys) : column ? [column] : [];
    case 'fkey':
      return c.fk_attrs ? stringValues(c.fk_attrs) : column ? [column] : [];
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
