import { InputError } from '../../errors.js';
import { dbmateFormat } from './dbmate.js';
import { flywayFormat } from './flyway.js';
import { golangMigrateFormat } from './golang-migrate.js';
import { gooseFormat } from './goose.js';
import { graphileMigrateFormat } from './graphile-migrate.js';
import { sqitchFormat } from './sqitch.js';
import { supabaseFormat } from './supabase.js';
import { MIGRATION_FORMAT_NAMES, type MigrationFormat, type MigrationFormatName } from './migration-format.js';

/**
 * Every format module, in the order detection lists candidates. Adding a tool: one module file and one line here.
 * Names in MIGRATION_FORMAT_NAMES without a module here are accepted by the option and refused with a clear line.
 */
export const MIGRATION_FORMATS: readonly MigrationFormat[] = [flywayFormat, golangMigrateFormat, gooseFormat, dbmateFormat, graphileMigrateFormat, supabaseFormat, sqitchFormat];

/** The format used when nothing in the folder says which tool wrote it: plain Flyway, as before formats existed. */
export const DEFAULT_MIGRATION_FORMAT: MigrationFormatName = 'flyway';

export function isMigrationFormatName(name: string): name is MigrationFormatName {
  return (MIGRATION_FORMAT_NAMES as readonly string[]).includes(name);
}

export function migrationFormat(name: string): MigrationFormat {
  const format = MIGRATION_FORMATS.find((f) => f.name === name);
  if (format) return format;
  if (isMigrationFormatName(name)) throw new InputError(`migration format ${name} is not supported by this version yet; supported: ${MIGRATION_FORMATS.map((f) => f.name).join(', ')}`);
  throw new InputError(`unknown migration format "${name}"; use one of ${MIGRATION_FORMAT_NAMES.join(', ')} (--migration-format or "migrationFormat")`);
}
