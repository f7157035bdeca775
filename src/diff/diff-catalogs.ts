import { payloadOf, type AttributeValue, type Catalog, type CatalogKind, type CatalogObject, type FieldSpec } from '../catalog/catalog-object.js';
import { CATALOG_KINDS } from '../catalog/kinds/index.js';
import type { Finding } from '../report/finding.js';
import { SIDE_WORDS, type SideName, type SideWords } from '../report/side-words.js';
import { show } from '../report/show-value.js';
import { pairRenames, renamedFinding } from './detect-renames.js';
import { objectFinding } from './object-finding.js';

export interface DiffOptions {
  strictColumnOrder?: boolean;
  /**
   * The side compared with the reference (default: the migrations). Messages and the keys of `details` use
   * its name, so a live database's findings say "live" without being re-worded afterwards.
   */
  other?: SideName;
}

type Changed = Record<string, Record<string, AttributeValue>>;

/**
 * Diffs two catalogs kind by kind with one generic rule (as migra does): keys only in the reference are
 * missing, keys only on the migrations side are extra, common keys whose compared fields differ are changed.
 * A missing and an extra object that are the same but for their name are one rename (see pairRenames).
 * Parts of an object that is missing or extra as a whole are not repeated: columns, indexes, … of a whole
 * table or view, comments and grants of a whole object, and columns a partition inherits.
 */
export function diffCatalogs(reference: Catalog, migrations: Catalog, options: DiffOptions = {}): Finding[] {
  const other = SIDE_WORDS[options.other ?? 'migrations'];
  const wholes = new WholeObjects();
  return CATALOG_KINDS.flatMap((kind) => {
    const fields = kind.fields.filter((f) => !f.optIn || (f.optIn === 'strictColumnOrder' && options.strictColumnOrder));
    return diffKind(kind, reference.get(kind.kind) ?? new Map(), migrations.get(kind.kind) ?? new Map(), fields, other, wholes);
  });
}

/**
 * Objects missing or extra as a whole, so their parts are not reported again: kinds come in registry order,
 * containers (tables, views) before what they contain, comments and grants last.
 */
class WholeObjects {
  private readonly tables = new Set<string>();
  private readonly objects = new Set<string>();

  add(object: CatalogObject): void {
    if (CONTAINERS.has(object.kind)) this.tables.add(object.key);
    this.objects.add(targetId(object));
  }

  covers(object: CatalogObject): boolean {
    const target = targetOf(object);
    return (object.table !== undefined && object.table !== object.key && this.tables.has(object.table)) || (target !== undefined && this.objects.has(targetId(target)));
  }
}

/** One kind: changed objects, then renames, then what is missing and extra (which the later kinds then skip). */
function diffKind(kind: CatalogKind, ref: Map<string, CatalogObject>, mig: Map<string, CatalogObject>, fields: FieldSpec[], other: SideWords, wholes: WholeObjects): Finding[] {
  const findings: Finding[] = [];
  const missing: CatalogObject[] = [];
  for (const [key, object] of ref) {
    if (wholes.covers(object)) continue;
    const counterpart = mig.get(key);
    if (!counterpart) {
      if (!skipped(kind, object)) missing.push(object);
      continue;
    }
    if (backsConstraint(kind, object) || backsConstraint(kind, counterpart)) continue;
    const changed = compareFields(fields, object, counterpart, other);
    if (Object.keys(changed).length > 0) findings.push(changedFinding(object, changed, fields, other));
  }
  const extra = [...mig].filter(([key, object]) => !ref.has(key) && !skipped(kind, object) && !wholes.covers(object)).map(([, object]) => object);
  const pairs = pairRenames(kind, missing, extra);
  for (const { reference: a, migrations: b } of pairs.renamed) findings.push(renamedFinding(a, b, other));
  for (const [change, objects] of [['missing', pairs.missing], ['extra', pairs.extra]] as const) {
    for (const object of objects) {
      wholes.add(object);
      findings.push(presenceFinding(object, change, other));
    }
  }
  return findings;
}

/** Kinds whose parts carry `table` = their key. */
const CONTAINERS = new Set(['table', 'view']);

function targetId(o: { kind: string; key: string }): string {
  return `${o.kind}\u0000${o.key}`;
}

/**
 * An index that backs a constraint is reported as that constraint, not twice; a column a partition inherits
 * is there exactly when its partitioned table's column is, which is reported instead.
 */
export function skipped(kind: CatalogKind, object: CatalogObject): boolean {
  return backsConstraint(kind, object) || payloadOf(object, 'column')?.inherited === true;
}

/**
 * The index of a primary key, UNIQUE or EXCLUDE constraint: everything its definition says (keys, INCLUDE,
 * NULLS NOT DISTINCT, an exclusion's WHERE, storage options) is in the constraint's definition too, so a change
 * is one constraint finding, and a constraint on one side only is one constraint finding, never also an index one.
 */
function backsConstraint(kind: CatalogKind, object: CatalogObject): boolean {
  return kind.kind === 'index' && Boolean(payloadOf(object, 'index')?.constraint);
}

/** The object a comment or grant is on. */
function targetOf(object: CatalogObject): { kind: string; key: string } | undefined {
  return payloadOf(object, 'comment')?.target ?? payloadOf(object, 'privilege')?.target;
}

/** What is compared for a field: the kind's comparable form when it has one (a function body's parse tree). */
function comparable(object: CatalogObject, field: FieldSpec): AttributeValue {
  const overrides: Partial<Record<string, AttributeValue>> | undefined = payloadOf(object, 'function')?.comparable;
  const override = overrides?.[field.name];
  return override !== undefined ? override : object.attributes[field.name];
}

export function compareFields(fields: FieldSpec[], ref: CatalogObject, mig: CatalogObject, other: SideWords): Changed {
  const changed: Changed = {};
  for (const field of fields) {
    let a = comparable(ref, field);
    let b = comparable(mig, field);
    if (field.optIn === 'strictColumnOrder' && Array.isArray(a) && Array.isArray(b)) {
      // Column order: only the relative order of columns both sides have (added columns are their own finding).
      const common = new Set(a.filter((x) => (b as string[]).includes(x)));
      a = a.filter((x) => common.has(x));
      b = b.filter((x) => common.has(x));
    }
    if (!sameValue(a, b)) changed[field.name] = { reference: ref.attributes[field.name], [other.name]: mig.attributes[field.name] };
  }
  return changed;
}

function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function presenceFinding(object: CatalogObject, change: 'missing' | 'extra', other: SideWords): Finding {
  const message =
    change === 'missing'
      ? `${object.kind} ${object.key} is in the reference but not ${other.has}`
      : `${object.kind} ${object.key} is ${other.has} but not in the reference`;
  return objectFinding(object, change, message, { [change === 'missing' ? 'reference' : other.name]: object.attributes });
}

function changedFinding(object: CatalogObject, changed: Changed, fields: FieldSpec[], other: SideWords): Finding {
  const labels = fields.filter((f) => f.name in changed);
  const parts = labels.map((f) => (f.multiline ? f.label : `${f.label} ${show(changed[f.name].reference)} (reference) vs ${show(changed[f.name][other.name])} (${other.name})`));
  return objectFinding(object, 'changed', `${object.kind} ${object.key} differs: ${parts.join('; ')}`, changed);
}
