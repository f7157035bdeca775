import { InputError } from '../../errors.js';
import { displayPath } from '../display-path.js';
import type { MigrationFormat, MigrationInput } from './migration-format.js';
import { DEFAULT_MIGRATION_FORMAT, migrationFormat, MIGRATION_FORMATS } from './registry.js';

export interface DetectedFormat {
  format: MigrationFormat;
  /** How it was chosen: named by the user, detected (with the evidence), or the default because nothing matched. */
  how: 'given' | 'detected' | 'default';
  evidence?: string;
}

/**
 * Which tool wrote these migrations. Each format module looks at the files (names first, file heads only when
 * needed); exactly one match is the answer, none means plain Flyway (today's default), and more than one is an
 * error naming the candidates and why each matched — guessing there would apply the wrong parts of the files.
 */
export async function detectMigrationFormat(inputs: MigrationInput[], cwd: string, formats: readonly MigrationFormat[] = MIGRATION_FORMATS): Promise<DetectedFormat> {
  const matches: Array<{ format: MigrationFormat; evidence: string }> = [];
  for (const format of formats) {
    const evidence: string[] = [];
    for (const input of inputs) {
      const found = await format.detect(input);
      if (found) evidence.push(found);
    }
    if (evidence.length) matches.push({ format, evidence: evidence.join('; ') });
  }
  if (matches.length === 1) return { format: matches[0].format, how: 'detected', evidence: matches[0].evidence };
  if (matches.length === 0) return { format: migrationFormat(DEFAULT_MIGRATION_FORMAT), how: 'default' };
  const where = inputs.map((i) => displayPath(i.folder, cwd)).join(', ');
  throw new InputError(
    `the migrations in ${where} look like more than one tool's: ${matches.map((m) => `${m.format.name} (${m.evidence})`).join(', ')}; pass --migration-format ${matches.map((m) => m.format.name).join('|')} (or "migrationFormat" in the config)`,
  );
}
