import { defineFindingCodes } from '../../report/finding-code.js';

/** Codes of what the migration-format modules find while reading a history. */
export const MIGRATION_FORMAT_CODES = defineFindingCodes([
  {
    code: 'migration-chain-broken',
    title: "A committed graphile-migrate migration's --! Previous/--! Hash chain is broken (graphile-migrate refuses to run)",
    severity: 'error',
    doc: 'docs/formats/graphile-migrate.md',
  },
] as const);
