import { btreeCovers, keyList } from './index-shape.js';
import type { RedundantIndexRule } from './redundant-index-rule.js';

/**
 * A btree whose keys lead another btree's keys, with the same opclass, collation and order per column and the
 * same predicate: the wider index serves the same lookups and orderings. Only btree, where a prefix of the keys
 * is as good as the whole index for those columns.
 */
export const coveredByPrefix: RedundantIndexRule = {
  code: 'index-covered-by-prefix',
  rule: 'covered-by-prefix',
  title: 'An index is a leading prefix of another index on the same table',
  doc: 'docs/rules/index-covered-by-prefix.md',
  covers: btreeCovers,
  message: (x, y) => `index ${x.key} ${keyList(x)} is a leading prefix of index ${y.key} ${keyList(y)}, which serves the same lookups`,
};
