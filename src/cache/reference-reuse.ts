import type { ParsedFile, ParsedStatement } from '../parse/parse-sql.js';
import { STATEMENT_OBJECTS } from '../locations/statement-objects.js';
import { makeObjectName } from '../locations/postgres-names.js';
import { sha256 } from './cache-keys.js';

/**
 * Reference-side reuse. The reference is order-free: its state is what its statements make, whatever the
 * order of its files. So when a change to the reference only ADDS statements, and those statements only
 * create or alter objects that no other statement mentions, the new state is the saved state of the previous
 * reference plus the added statements, applied last. Anything else (a statement removed or edited, an added
 * statement on an object another statement names, a statement whose effect depends on what exists when it
 * runs) rebuilds the side from scratch.
 *
 * The conditions below are deliberately narrow; each closes a way the two builds could differ:
 * - Added statements are plain DDL on their own objects (no DROP, no DO, no INSERT, no ADD COLUMN — a later
 *   ADD COLUMN could land before an earlier one that waited in a full rebuild, swapping column positions —, no
 *   LIKE or SELECT * that copies an object's shape at the time it runs, no inheritance or partitions).
 * - The names of what they create or alter (and the names Postgres derives from them: row and array types,
 *   sequences, index names) appear in no other statement's text, case-insensitively: no other statement can
 *   refer to them, collide with them, or take a derived name they would take.
 * - Every other statement is DDL whose effect does not depend on which objects exist when it runs (no DO
 *   blocks, event triggers, default privileges, GRANT … ON ALL, SET ROLE, renames or drops).
 * - An object an added statement names (a foreign key's table, a trigger's function) is defined once, and is
 *   not altered elsewhere in a way that changes what depends on it (a type change, a dropped column or
 *   constraint): the added statement then resolves and behaves the same before or after the rest.
 * When the added statements fail on the saved state, the side is rebuilt from scratch too, so an error is
 * always reported as the full rebuild reports it.
 */

/** What a saved reference state holds: the key of its files (see chainKeys) and each file's statements. */
export interface ReferenceManifest {
  key: string;
  /** Display path → the hashes of its statements, in order. */
  files: Record<string, string[]>;
}

export type ReferenceReusePlan = { reuse: true; added: ParsedFile[]; count: number } | { reuse: false; why: string };

export function referenceManifest(key: string, files: ParsedFile[]): ReferenceManifest {
  return { key, files: Object.fromEntries(files.map((f) => [f.file.displayPath, f.statements.map(statementHash)])) };
}

function statementHash(statement: ParsedStatement): string {
  return sha256(statement.sql).slice(0, 32);
}

/** Whether `files` can be built from the state `saved` describes by applying only the added statements. */
export function planReferenceReuse(files: ParsedFile[], saved: ReferenceManifest): ReferenceReusePlan {
  const kept: ParsedStatement[] = [];
  const added: ParsedFile[] = [];
  const current = new Set(files.map((f) => f.file.displayPath));
  const gone = Object.keys(saved.files).find((path) => !current.has(path));
  if (gone) return { reuse: false, why: `${gone} was removed` };
  for (const file of files) {
    const remaining = new Map<string, number>();
    for (const h of saved.files[file.file.displayPath] ?? []) remaining.set(h, (remaining.get(h) ?? 0) + 1);
    const fresh: ParsedStatement[] = [];
    for (const statement of file.statements) {
      const h = statementHash(statement);
      const left = remaining.get(h) ?? 0;
      if (left > 0) {
        remaining.set(h, left - 1);
        kept.push(statement);
      } else fresh.push(statement);
    }
    if ([...remaining.values()].some((n) => n > 0)) return { reuse: false, why: `a statement of ${file.file.displayPath} was changed or removed` };
    if (fresh.length === 0) continue;
    // The added statements are applied on their own: a SET of the file would not reach them.
    if (file.statements.some((s) => s.type === 'VariableSetStmt')) return { reuse: false, why: `${file.file.displayPath} changed and sets session settings` };
    added.push({ ...file, statements: fresh });
  }
  const addedStatements = added.flatMap((f) => f.statements);
  const why = whyNotIndependent(addedStatements, kept);
  return why ? { reuse: false, why } : { reuse: true, added, count: addedStatements.length };
}

/** Undefined when the added statements are independent of the kept ones (see the conditions above), else why not. */
function whyNotIndependent(added: ParsedStatement[], kept: ParsedStatement[]): string | undefined {
  const all = [...added, ...kept];
  if (all.some((s) => /u&["']/i.test(s.sql))) return 'a statement spells a name with Unicode escapes';
  const keptText = kept.map((s) => s.sql.toLowerCase()).join('\u0000');
  const addedWords = new Set(added.flatMap((s) => words(s.sql)));
  const definedTwice = namesDefinedTwice(kept);
  for (const statement of kept) {
    const why = whyKeptDepends(statement, addedWords);
    if (why) return `${where(statement)}: ${why}`;
  }
  const reordered = indexesThatMayReorder(added);
  if (reordered) return `${where(reordered)}: indexes of one table may be made in another order by a full rebuild`;
  for (const statement of added) {
    const targets = addedTargets(statement);
    if (!targets) return `${where(statement)}: ${statement.type} is not reused`;
    for (const name of targets) {
      // Long names are shortened in derived names (makeObjectName), which the text search would miss.
      if (Buffer.byteLength(name) > 40) return `${where(statement)}: the name ${name} is too long to search for`;
      if (keptText.includes(name.toLowerCase())) return `${where(statement)}: another statement names ${name}`;
    }
    const ambiguous = words(statement.sql).find((w) => definedTwice.has(w));
    if (ambiguous) return `${where(statement)}: ${ambiguous} is defined more than once`;
  }
  return undefined;
}

const where = (s: ParsedStatement) => `${s.file.displayPath}:${s.line}`;

/** Lower-cased identifier-like words of a text. */
function words(sql: string): string[] {
  return sql.toLowerCase().match(/[a-z_][a-z0-9_$]*/g) ?? [];
}

/**
 * Indexes record their creation order (the redundant-index rules break ties with it). A full rebuild runs a
 * statement that waits for something a later file makes after the others, so two added indexes of one table
 * could swap places there: only an index naming nothing but its table and columns (no function, cast,
 * collation or operator class) cannot wait once its table exists.
 */
function indexesThatMayReorder(added: ParsedStatement[]): ParsedStatement | undefined {
  const byTable = new Map<string, ParsedStatement[]>();
  for (const statement of added) {
    const constraints = statement.type === 'AlterTableStmt' ? (statement.node.cmds ?? []).map((c: Record<string, any>) => c.AlterTableCmd?.def?.Constraint).filter(Boolean) : [];
    const makesIndex = statement.type === 'IndexStmt' || constraints.some((c: Record<string, any>) => ['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_EXCLUSION'].includes(c.contype));
    if (!makesIndex) continue;
    const table = String(statement.node.relation?.relname ?? '');
    byTable.set(table, [...(byTable.get(table) ?? []), statement]);
  }
  const mayWait = (s: ParsedStatement) => s.type !== 'IndexStmt' || /"(FuncCall|TypeCast|CollateClause|opclass)"/.test(JSON.stringify(s.node));
  for (const statements of byTable.values()) {
    const first = statements.slice(0, -1).find(mayWait);
    if (first) return first;
  }
  return undefined;
}

/** Statement types whose effect does not depend on which other objects exist when they run. */
const KEPT_TYPES = new Set([
  'CreateStmt', 'AlterTableStmt', 'IndexStmt', 'CreatePolicyStmt', 'AlterPolicyStmt', 'CreateTrigStmt', 'CreateFunctionStmt', 'ViewStmt',
  'CommentStmt', 'GrantStmt', 'CreateSeqStmt', 'AlterSeqStmt', 'CompositeTypeStmt', 'CreateEnumStmt', 'AlterEnumStmt', 'CreateDomainStmt',
  'AlterDomainStmt', 'CreateRangeStmt', 'CreateSchemaStmt', 'CreateExtensionStmt', 'VariableSetStmt', 'AlterOwnerStmt', 'DefineStmt',
]);
/** ALTER TABLE sub-commands that change nothing an object depending on the table could notice. */
const HARMLESS_ALTERS = new Set([
  'AT_EnableRowSecurity', 'AT_DisableRowSecurity', 'AT_ForceRowSecurity', 'AT_NoForceRowSecurity', 'AT_AddConstraint', 'AT_ColumnDefault',
  'AT_SetNotNull', 'AT_ChangeOwner', 'AT_SetRelOptions', 'AT_ResetRelOptions', 'AT_EnableTrig', 'AT_DisableTrig', 'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig', 'AT_AddIdentity', 'AT_SetStatistics', 'AT_SetStorage', 'AT_ValidateConstraint', 'AT_ReplicaIdentity',
]);

function whyKeptDepends(statement: ParsedStatement, addedWords: Set<string>): string | undefined {
  const n = statement.node;
  if (!KEPT_TYPES.has(statement.type)) return `${statement.type} may depend on what exists when it runs`;
  if (statement.type === 'VariableSetStmt' && ['role', 'session_authorization'].includes(String(n.name ?? '').toLowerCase())) return 'it changes the role';
  if (statement.type === 'GrantStmt' && n.targtype !== 'ACL_TARGET_OBJECT') return 'it grants on every object of a schema';
  if (statement.type === 'AlterTableStmt' && addedWords.has(String(n.relation?.relname ?? '').toLowerCase())) {
    const risky = (n.cmds ?? []).map((c: Record<string, any>) => c.AlterTableCmd?.subtype).find((t: string) => !HARMLESS_ALTERS.has(t));
    if (risky) return `it alters ${n.relation.relname} (${risky}), which an added statement refers to`;
  }
  // An enum's labels, a domain's constraints, a sequence or a replaced function may not be what an added
  // statement that names them saw in a full rebuild, where it may have run before this statement.
  if (['AlterEnumStmt', 'AlterDomainStmt', 'AlterSeqStmt', 'AlterPolicyStmt'].includes(statement.type) || (statement.type === 'CreateFunctionStmt' && n.replace)) {
    const named = (STATEMENT_OBJECTS[statement.type]?.(n, { schema: 'public' }) ?? []).map((o) => keyParts(o.key).at(-1)!.toLowerCase());
    const seen = named.find((name) => addedWords.has(name));
    if (seen) return `it changes ${seen}, which an added statement refers to`;
  }
  return undefined;
}

/** Kinds whose names live in a schema's namespace (a column, constraint, policy or trigger lives in its table's). */
const NAMESPACE_KINDS = new Set(['table', 'view', 'sequence', 'index', 'type', 'function', 'schema']);

/** Bare names that kept statements define more than once (overloads, or the same name in two schemas). */
function namesDefinedTwice(kept: ParsedStatement[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const statement of kept) {
    for (const object of STATEMENT_OBJECTS[statement.type]?.(statement.node, { schema: 'public' }) ?? []) {
      if (!NAMESPACE_KINDS.has(object.kind) || object.sets || object.renamedFrom) continue;
      const name = keyParts(object.key).at(-1)!.toLowerCase();
      if (seen.has(name)) twice.add(name);
      seen.add(name);
    }
  }
  return twice;
}

/** What an added statement creates or alters, as bare names (children as their table), or undefined when it is not reused. */
function addedTargets(statement: ParsedStatement): string[] | undefined {
  const n = statement.node;
  const json = JSON.stringify(n);
  const located = () =>
    (STATEMENT_OBJECTS[statement.type]?.(n, { schema: 'public' }) ?? []).map((o) => {
      const parts = keyParts(o.key);
      return NAMESPACE_KINDS.has(o.kind) ? parts.at(-1)! : parts.at(-2)!;
    });
  switch (statement.type) {
    case 'CreateStmt': {
      if (n.inhRelations?.length || n.partbound || n.ofTypename || json.includes('"TableLikeClause"')) return undefined;
      const table: string = n.relation?.relname ?? '';
      // Sequences of serial and identity columns are named from the table and column.
      const sequences = (n.tableElts ?? []).filter((e: Record<string, any>) => e.ColumnDef).map((e: Record<string, any>) => makeObjectName(table, e.ColumnDef.colname, 'seq'));
      return [table, ...located(), ...sequences];
    }
    case 'AlterTableStmt': {
      const refused = ['AT_AddColumn', 'AT_AddInherit', 'AT_DropInherit', 'AT_AddOf', 'AT_DropOf', 'AT_AttachPartition', 'AT_DetachPartition'];
      if ((n.cmds ?? []).some((c: Record<string, any>) => refused.includes(c.AlterTableCmd?.subtype))) return undefined;
      return [n.relation?.relname ?? '', ...located()];
    }
    case 'IndexStmt':
      return [n.relation?.relname ?? '', ...located()];
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return [n.table?.relname ?? ''];
    case 'CreateTrigStmt':
      return n.isconstraint ? undefined : [n.relation?.relname ?? ''];
    case 'ViewStmt':
      return json.includes('"A_Star"') ? undefined : located();
    case 'CreateFunctionStmt':
    case 'CreateSeqStmt':
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
    case 'CreateDomainStmt':
    case 'CreateRangeStmt':
      return located();
    case 'CreateSchemaStmt':
      return n.schemaElts?.length ? undefined : located();
    case 'CommentStmt':
      return commentTarget(n);
    case 'GrantStmt': {
      if (n.targtype !== 'ACL_TARGET_OBJECT' || !['OBJECT_TABLE', 'OBJECT_SEQUENCE', 'OBJECT_FUNCTION'].includes(n.objtype)) return undefined;
      return (n.objects ?? []).map((o: Record<string, any>) => o.RangeVar?.relname ?? lastString(o.ObjectWithArgs?.objname) ?? '');
    }
    default:
      return undefined;
  }
}

/** COMMENT ON x: the object (a column, constraint, policy or trigger as its table). */
function commentTarget(n: Record<string, any>): string[] | undefined {
  const names = stringList(n.object?.List?.items) ?? stringList(n.object?.ObjectWithArgs?.objname) ?? stringList(n.object?.TypeName?.names);
  const single = n.object?.String?.sval;
  if (single) return [single];
  if (!names?.length) return undefined;
  const child = ['OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT', 'OBJECT_POLICY', 'OBJECT_TRIGGER', 'OBJECT_RULE'].includes(n.objtype);
  return [child ? names.at(-2) ?? '' : names.at(-1)!];
}

function stringList(items: Array<Record<string, any>> | undefined): string[] | undefined {
  return items?.map((i) => i.String?.sval).filter((s): s is string => typeof s === 'string');
}

function lastString(items: Array<Record<string, any>> | undefined): string | undefined {
  return stringList(items)?.at(-1);
}

/** `public."Odd.Name".col` → ['public', 'Odd.Name', 'col'] (a key as qualify() writes it). */
function keyParts(key: string): string[] {
  return [...key.matchAll(/"((?:[^"]|"")*)"|([^.]+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]));
}
