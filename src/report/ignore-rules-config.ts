import { FILE_KINDS } from '../catalog/catalog-object.js';
import { CATALOG_KINDS } from '../catalog/kinds/index.js';
import { InputError } from '../errors.js';
import { knownFindingCodes } from './finding-codes.js';
import { globMatch, IGNORE_RULE_FIELDS, type IgnoreRule } from './ignore.js';

/**
 * Every kind a finding can have, so a misspelt kind in an ignore rule is an error instead of a rule that never
 * matches: the compared kinds from the kind registry, and the kinds of the file checks.
 */
export const IGNORE_KINDS: string[] = [...CATALOG_KINDS.map((k) => k.kind), ...FILE_KINDS];

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
    if (r.kind !== undefined && !IGNORE_KINDS.some((k) => globMatch(r.kind!, k))) {
      throw new InputError(`${at}.kind "${r.kind}" matches no object kind; kinds: ${IGNORE_KINDS.join(', ')}`);
    }
    if (r.code !== undefined && !knownFindingCodes().some((c) => globMatch(r.code!, c))) {
      throw new InputError(`${at}.code "${r.code}" matches no finding code; codes look like "column-changed", "index-extra", "index-*"`);
    }
    return r;
  });
}
