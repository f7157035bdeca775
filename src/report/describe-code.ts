import { LINT_RULES } from '../rules/lint/registry.js';

/** One-line descriptions of finding codes, for SARIF rules and Markdown legends. */
const FILE_CODES: Record<string, string> = {
  'migration-edited': 'An applied migration was edited (its Flyway checksum changed)',
  'migration-deleted': 'An applied migration was deleted',
  'migration-renamed': 'An applied migration was renamed',
  'migration-out-of-order': 'A new migration is numbered below the newest applied one',
  'migration-duplicate-version': 'Two migrations share a version',
  'migration-misnamed': 'A file in a migrations folder does not follow Flyway naming and never runs',
  'migration-untracked': 'A migration file is not tracked by git',
  'reference-file-unlisted': 'A reference file is not run by the setup script (the declared execution order)',
  'reference-file-not-found': 'The setup script runs a file that is not a reference file',
  'setup-failed': 'The setup script stops at a reference statement it cannot run in its order',
  'setup-missing': 'An object is in the reference but not in a database set up by the setup script',
  'setup-extra': 'An object is in a database set up by the setup script but not in the reference',
  'setup-changed': 'An object differs between the reference and a database set up by the setup script',
  'setup-renamed': 'An object has another name in a database set up by the setup script',
};

const CHANGES: Record<string, string> = {
  missing: 'is in the reference but not produced by the migrations',
  extra: 'is produced by the migrations but not in the reference',
  changed: 'differs between the reference and the migrations',
  renamed: 'was renamed',
  redundant: 'is redundant',
};

/** `column-missing` → "A column is in the reference but not produced by the migrations". */
const LINT_TITLES: Record<string, string> = Object.fromEntries(LINT_RULES.map((r) => [r.code, r.title]));

export function describeCode(code: string): string {
  if (FILE_CODES[code]) return FILE_CODES[code];
  if (LINT_TITLES[code]) return LINT_TITLES[code];
  const m = /^(.*)-([a-z]+)$/.exec(code);
  if (m && CHANGES[m[2]]) {
    const kind = m[1].replace(/-/g, ' ');
    return `${/^[aeiou]/.test(kind) ? 'An' : 'A'} ${kind} ${CHANGES[m[2]]}`;
  }
  return code.replace(/-/g, ' ');
}
