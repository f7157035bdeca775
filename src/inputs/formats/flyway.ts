import { basename } from 'node:path';
import { InputError } from '../../errors.js';
import { displayPath } from '../display-path.js';
import { readSqlFile } from '../read-sql-file.js';
import { orderFlywayFolder, parseFlywayName } from './flyway-naming.js';
import type { FormatContext, FormatMigrations, Migration, MigrationFormat, MigrationInput } from './migration-format.js';

/**
 * Flyway: `V<version>__<description>.sql` in version order, then `R__<description>.sql` by description; each
 * file in a transaction unless a statement refuses one. Explicit files run in the order given.
 */
export const flywayFormat: MigrationFormat = {
  name: 'flyway',
  looksFor: 'V<version>__<description>.sql files (R__ repeatables), or a flyway.conf / flyway.toml',
  async detect(input) {
    const named = input.files.filter((f) => parseFlywayName(basename(f)).type !== 'other' && !/^U/.test(basename(f)));
    return named.length ? `${named.length} file${named.length === 1 ? '' : 's'} named V<version>__… or R__…` : undefined;
  },
  async read(input, context) {
    return input.explicit ? readExplicit(input, context) : readFolder(input, context);
  },
};

async function readFolder(input: MigrationInput, context: FormatContext): Promise<FormatMigrations> {
  const sqlFiles = input.files.filter((f) => f.toLowerCase().endsWith('.sql'));
  const ordered = orderFlywayFolder(input.folder, sqlFiles, context.cwd);
  if (ordered.files.length === 0) {
    throw new InputError(`migrations folder ${displayPath(input.folder, context.cwd)} has no V<version>__<description>.sql files; check the path, or pass --migration-format for another tool's layout`);
  }
  const migrations = await Promise.all(ordered.files.map(async (f) => toMigration(f.path, context, { version: f.version, description: f.description, repeatable: f.repeatable })));
  // Misnamed files are a `migration-misnamed` finding (warning) of the history checks; undo files only a note.
  return { migrations, skipped: ordered.skipped.filter((s) => s.undo) };
}

async function readExplicit(input: MigrationInput, context: FormatContext): Promise<FormatMigrations> {
  const migrations = await Promise.all(
    input.files.map(async (path) => {
      const name = parseFlywayName(basename(path));
      return toMigration(path, context, {
        version: name.type === 'versioned' ? name.version.join('.') : undefined,
        description: name.type === 'versioned' || name.type === 'repeatable' ? name.description : undefined,
        repeatable: name.type === 'repeatable',
      });
    }),
  );
  return { migrations };
}

async function toMigration(path: string, context: FormatContext, naming: Pick<Migration, 'version' | 'description' | 'repeatable'>): Promise<Migration> {
  const file = await readSqlFile(path, context.cwd);
  return { path, ...naming, sql: file.text, transaction: 'auto' };
}
