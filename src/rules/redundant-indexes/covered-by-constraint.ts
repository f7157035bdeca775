import { backsKeyConstraint, btreeCovers, keyList, sameKeys, type IndexShape } from './index-shape.js';
import type { RedundantIndexRule } from './redundant-index-rule.js';

/**
 * An index whose keys are a leading prefix of (or equal to) the keys of a PRIMARY KEY or UNIQUE constraint's
 * index: the constraint's index already serves those lookups, and it cannot be dropped without the constraint.
 * The most common case: a plain index on a column that a UNIQUE constraint on it already indexes.
 */
export const coveredByConstraint: RedundantIndexRule = {
  code: 'index-covered-by-constraint',
  rule: 'covered-by-constraint',
  title: "An index is covered by a primary key or unique constraint's index",
  doc: 'docs/rules/index-covered-by-constraint.md',
  covers: (x, y) => backsKeyConstraint(y) && btreeCovers(x, y),
  message: (x, y) =>
    `index ${x.key} ${keyList(x)} is covered by ${constraintWords(y)} ${y.constraint} ${keyList(y)}` +
    (sameKeys(x, y) ? ', whose index has the same keys' : ', whose index starts with the same columns'),
};

function constraintWords(y: IndexShape): string {
  return y.primary ? 'primary key' : 'unique constraint';
}
