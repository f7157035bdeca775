import type { Finding } from './finding.js';

/**
 * One ignore rule from the config: a finding is ignored when every field the rule gives matches.
 * Fields are globs: `*` is any run of characters (dots included, so `public.audit_*` covers the table and
 * its columns, indexes, …) and `?` is one character.
 */
export interface IgnoreRule {
  /** Object kind: `index`, `policy`, `migration`, … */
  kind?: string;
  /** Schema-qualified object, e.g. `public.legacy_*` or `public.users.tmp_*`. */
  object?: string;
  /** Finding code, e.g. `index-extra`, `column-*`. */
  code?: string;
  /** Why it is ignored; shown nowhere, for the next reader of the config. */
  reason?: string;
}

export const IGNORE_RULE_FIELDS = ['kind', 'object', 'code', 'reason'] as const;

export function ignoredBy(finding: Finding, rules: IgnoreRule[]): IgnoreRule | undefined {
  return rules.find(
    (r) =>
      (r.kind !== undefined || r.object !== undefined || r.code !== undefined) &&
      (r.kind === undefined || globMatch(r.kind, finding.kind)) &&
      (r.object === undefined || globMatch(r.object, finding.object)) &&
      (r.code === undefined || globMatch(r.code, finding.code)),
  );
}

/** Splits findings into those reported and those an ignore rule drops (counted in the summary, marked in `checked`). */
export function applyIgnoreRules(findings: Finding[], rules: IgnoreRule[] = []): { findings: Finding[]; ignored: Finding[] } {
  const kept: Finding[] = [];
  const ignored: Finding[] = [];
  for (const f of findings) (ignoredBy(f, rules) ? ignored : kept).push(f);
  return { findings: kept, ignored };
}

const cache = new Map<string, RegExp>();

export function globMatch(glob: string, value: string): boolean {
  let re = cache.get(glob);
  if (!re) {
    const body = [...glob].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, 's');
    cache.set(glob, re);
  }
  return re.test(value);
}
