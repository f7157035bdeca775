import type { Step } from '../step.js';

/** What the migration tool's format module found while reading the history (a broken hash chain, …). */
export const migrationFormatStep: Step = {
  name: 'migration-format',
  needs: 'inputs',
  run: ({ inputs }) => ({ findings: inputs.findings }),
};
