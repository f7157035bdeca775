import { backfillUpdate } from './backfill-update.js';
import { dropIndexNotConcurrent } from './drop-index-not-concurrent.js';
import { foreignKeyUnindexed } from './foreign-key-unindexed.js';
import { functionReplaced } from './function-replaced.js';
import { indexNotConcurrent } from './index-not-concurrent.js';
import type { LintRule } from './lint-rule.js';
import { lockTimeoutMissing } from './lock-timeout-missing.js';
import { policyWithoutRls } from './policy-without-rls.js';
import { rlsWithoutPolicy } from './rls-without-policy.js';
import { seedNotIdempotent } from './seed-not-idempotent.js';
import { tableRewrite } from './table-rewrite.js';
import { validationUnderLock } from './validation-under-lock.js';

/** Every migration-safety rule; each has docs/rules/<code>.md. */
export const LINT_RULES: LintRule[] = [
  tableRewrite,
  validationUnderLock,
  indexNotConcurrent,
  dropIndexNotConcurrent,
  backfillUpdate,
  seedNotIdempotent,
  functionReplaced,
  rlsWithoutPolicy,
  policyWithoutRls,
  lockTimeoutMissing,
  foreignKeyUnindexed,
];

export const LINT_CODES = LINT_RULES.map((r) => r.code);
