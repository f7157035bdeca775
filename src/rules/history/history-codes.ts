import { defineFindingCodes } from '../../report/finding-code.js';

const doc = 'README.md#migration-history-checks';

/** The migration-history checks' codes (check-history.ts). */
export const HISTORY_CODES = defineFindingCodes([
  { code: 'migration-edited', title: 'An applied migration was edited (its Flyway checksum changed)', severity: 'error', doc },
  { code: 'migration-deleted', title: 'An applied migration was deleted', severity: 'error', doc },
  { code: 'migration-renamed', title: 'An applied migration was renamed', severity: 'error', doc },
  { code: 'migration-out-of-order', title: 'A new migration is numbered below the newest applied one', severity: 'error', doc },
  { code: 'migration-duplicate-version', title: 'Two migrations share a version', severity: 'error', doc },
  { code: 'migration-misnamed', title: 'A file in a migrations folder does not follow Flyway naming and never runs', severity: 'warning', doc },
  { code: 'migration-untracked', title: 'A migration file is not tracked by git (an error when CI is set)', severity: 'warning', doc },
] as const);

export type HistoryCode = (typeof HISTORY_CODES)[number]['code'];
