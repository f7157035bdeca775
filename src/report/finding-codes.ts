import { REDUNDANT_INDEX_CODES } from '../rules/redundant-indexes/registry.js';
import { CATALOG_KINDS } from '../catalog/kinds/index.js';
import { LINT_CODES } from '../rules/lint/registry.js';

/** Codes of the migration-history checks (src/history) and the reference order check (src/inputs/reference-order.ts). */
const FILE_CHECK_CODES = [
  'migration-edited',
  'migration-deleted',
  'migration-renamed',
  'migration-out-of-order',
  'migration-duplicate-version',
  'migration-misnamed',
  'migration-untracked',
  'migration-chain-broken',
  'reference-file-unlisted',
  'reference-file-not-found',
  // The setup side (src/report/setup-findings.ts): the setup script stops, or builds something else.
  'setup-failed',
  'setup-missing',
  'setup-extra',
  'setup-changed',
  'setup-renamed',
];

/**
 * Every finding code the tool can report, so the config can refuse a misspelt one in `severity` or `ignore`
 * (a typo there would otherwise silently do nothing).
 */
export function knownFindingCodes(): string[] {
  const drift = CATALOG_KINDS.flatMap((k) => ['missing', 'extra', 'changed', 'renamed'].map((change) => `${k.kind}-${change}`));
  return [...drift, ...REDUNDANT_INDEX_CODES, ...FILE_CHECK_CODES, ...LINT_CODES];
}
