import { coveredByConstraint } from './covered-by-constraint.js';
import { coveredByPrefix } from './covered-by-prefix.js';
import { duplicate } from './duplicate.js';
import type { RedundantIndexRule } from './redundant-index-rule.js';

/**
 * Every redundant-index rule, in order of precedence: when several rules explain one redundant index, the
 * first names it (a constraint is the clearest reason, then an exact duplicate, then a wider index).
 * Adding a rule: its file, one line here, a doc page under docs/rules/, and fixtures.
 */
export const REDUNDANT_INDEX_RULES: RedundantIndexRule[] = [coveredByConstraint, duplicate, coveredByPrefix];

export const REDUNDANT_INDEX_CODES: string[] = REDUNDANT_INDEX_RULES.map((r) => r.code);

if (new Set(REDUNDANT_INDEX_CODES).size !== REDUNDANT_INDEX_CODES.length) throw new Error('duplicate redundant-index rule code');
