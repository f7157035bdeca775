import { defineFindingCodes } from '../../report/finding-code.js';

const doc = 'README.md#reference-order';

/** The reference order check's codes (reference-order.ts). */
export const REFERENCE_ORDER_CODES = defineFindingCodes([
  { code: 'reference-file-unlisted', title: 'A reference file is not run by the setup script (the declared execution order)', severity: 'error', doc },
  { code: 'reference-file-not-found', title: 'The setup script runs a file that is not a reference file', severity: 'error', doc },
] as const);
