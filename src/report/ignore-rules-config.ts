import type { ObjectKind } from '../catalog/catalog-object.js';
import { InputError } from '../errors.js';
import { knownFindingCodes } from './finding-codes.js';
import { globMatch, IGNORE_RULE_FIELDS, type IgnoreRule } from './ignore.js';

/**
 * Every object kind, so a misspelt kind in an ignore rule is an error instead of a rule that never matches.
 * A Record over the union: adding a kind to ObjectKind does not compile until it is added here.
 */
const KINDS: Record<ObjectKind, true> = {
  schema: true, extension: true, table: true, column: true, constraint: true, index: true, policy: true, trigger: true,
  function: true, sequence: true, view: true, type: true, comment: true, privilege: true, migration: true, 'reference-file': true, publication: true, 'event-trigger': true,
};

/** Every object kind an ignore rule may name. */
export const IGNORE_KINDS = Object.keys(KINDS);

/** Validates the config's `ignore` list; errors name the rule's path, e.g. `ignore[1].kind`. */
export function ignoreRules(value: unknown, path: string): IgnoreRule[] {
  if (!Array.isArray(value)) throw new InputError(`${path} must be a list of rules like {"kind": "index", "object": "public.legacy_*", "code": "index-extra"}`);
  return value.map((rule, i) => {
    const at = `${path}[${i}]`;
    if (!rule || typeof rule !== 'object' || Array.isArray(rule)) throw new InputError(`${at} must be an object with "kind", "object" and/or "code"`);
    for (const [key, v] of Object.entries(rule)) {
      if (!(IGNORE_RULE_FIELDS as readonly string[]).includes(key)) throw new InputError(`${at}: unknown key "${key}"; known keys: ${IGNORE_RULE_FIELDS.join(', ')}`);
      if (typeof v !== 'string' || v === '') throw new InputError(`${at}.${key} must be a non-empty string`);
    }
    const r = rule as IgnoreRule;
    if (r.kind === undefined && r.object === undefined && r.code === undefined) throw new InputError(`${at} must give "kind", "object" and/or "code" (a rule without them would ignore everything)`);
    if (r.kind !== undefined && !Object.keys(KINDS).some((k) => globMatch(r.kind!, k))) {
      throw new InputError(`${at}.kind "${r.kind}" matches no object kind; kinds: ${Object.keys(KINDS).join(', ')}`);
    }
    if (r.code !== undefined && !knownFindingCodes().some((c) => globMatch(r.code!, c))) {
      throw new InputError(`${at}.code "${r.code}" matches no finding code; codes look like "column-changed", "index-extra", "index-*"`);
    }
    return r;
  });
}
