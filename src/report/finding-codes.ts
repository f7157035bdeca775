import { CATALOG_KINDS } from '../catalog/kinds/index.js';
import { HISTORY_CODES } from '../rules/history/history-codes.js';
import { MIGRATION_FORMAT_CODES } from '../inputs/formats/format-codes.js';
import { REFERENCE_ORDER_CODES } from '../rules/reference-order/reference-order-codes.js';
import { SETUP_CODES } from './setup-codes.js';
import { LINT_RULES } from '../rules/lint/registry.js';
import { REDUNDANT_INDEX_RULES } from '../rules/redundant-indexes/registry.js';
import type { FindingCodeSpec } from './finding-code.js';

const CHANGES = {
  missing: 'is in the reference but not produced by the migrations (or not in the live database)',
  extra: 'is produced by the migrations (or in the live database) but not in the reference',
  changed: 'differs between the reference and the other side',
  renamed: 'has the same definition under another name on the other side',
} as const;

/** `column-missing` etc. for every compared kind: drift is an error unless the config says otherwise. */
function driftCodes(): FindingCodeSpec[] {
  return CATALOG_KINDS.flatMap(({ kind }) =>
    Object.entries(CHANGES).map(([change, words]) => ({
      code: `${kind}-${change}`,
      title: `${/^[aeiou]/.test(kind) ? 'An' : 'A'} ${kind} ${words}`,
      severity: 'error' as const,
      doc: 'docs/compared-objects.md',
    })),
  );
}

/**
 * Every finding code the tool can report, in one list. A check declares its codes in its own file (see
 * defineFindingCodes) and adds them here with one line. Config validation refuses codes not listed (a typo
 * in `severity` or `ignore` would otherwise silently do nothing); SARIF rules, --help and docs links read it.
 */
export const FINDING_CODES: readonly FindingCodeSpec[] = [
  ...driftCodes(),
  ...REDUNDANT_INDEX_RULES.map((r) => ({ code: r.code, title: r.title, severity: 'warning' as const, doc: r.doc })),
  ...HISTORY_CODES,
  ...REFERENCE_ORDER_CODES,
  ...MIGRATION_FORMAT_CODES,
  ...SETUP_CODES,
  ...LINT_RULES.map((r) => ({ code: r.code, title: r.title, severity: r.severity, doc: `docs/rules/${r.code}.md` })),
];

const BY_CODE = new Map<string, FindingCodeSpec>();
for (const spec of FINDING_CODES) {
  if (BY_CODE.has(spec.code)) throw new Error(`finding code ${spec.code} is declared twice`);
  BY_CODE.set(spec.code, spec);
}

export function findingCode(code: string): FindingCodeSpec | undefined {
  return BY_CODE.get(code);
}

export function knownFindingCodes(): string[] {
  return [...BY_CODE.keys()];
}
