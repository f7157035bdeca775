import { defineFindingCodes } from './finding-code.js';

const doc = 'docs/setup-order.md';

/** The setup side's codes (src/report/setup-findings.ts): the setup script stops, or builds something else. */
export const SETUP_CODES = defineFindingCodes([
  { code: 'setup-failed', title: 'The setup script stops at a reference statement it cannot run in its order', severity: 'error', doc },
  { code: 'setup-missing', title: 'An object is in the reference but not in a database set up by the setup script', severity: 'error', doc },
  { code: 'setup-extra', title: 'An object is in a database set up by the setup script but not in the reference', severity: 'error', doc },
  { code: 'setup-changed', title: 'An object differs between the reference and a database set up by the setup script', severity: 'error', doc },
  { code: 'setup-renamed', title: 'An object has another name in a database set up by the setup script', severity: 'error', doc },
] as const);
