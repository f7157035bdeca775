import { enforcementImplied, sameDefinition } from './index-shape.js';
import type { RedundantIndexRule } from './redundant-index-rule.js';

/**
 * Two indexes with the same method, keys (column or expression, opclass, collation, order), INCLUDE list and
 * predicate. Any method: gin, gist, brin and hash indexes are only ever redundant this way. One of the pair is
 * kept (see keepOrder), so a pair is always exactly one finding.
 */
export const duplicate: RedundantIndexRule = {
  code: 'index-duplicate',
  rule: 'duplicate',
  title: 'An index duplicates another index (same method, keys, INCLUDE columns and predicate)',
  doc: 'docs/rules/index-duplicate.md',
  covers: (x, y) => sameDefinition(x, y) && enforcementImplied(x, y),
  message: (x, y) =>
    `index ${x.key} duplicates ${y.constraint ? `index ${y.key} of constraint ${y.constraint}` : `index ${y.key}`}: same method, keys, INCLUDE columns and predicate`,
};
