import { basename } from 'node:path';
import { InputError } from '../../errors.js';
import { displayPath } from '../display-path.js';
import { readSqlFile } from '../read-sql-file.js';
import { findFlywayConfig, flywayConfigFolders, type FlywaySettings } from './flyway-config.js';
import { orderFlywayFolder, parseFlywayName } from './flyway-naming.js';
import { joinLines, splitLines } from './sql-sections.js';
import { SESSION_TOKENS, type FormatContext, type FormatMigrations, type Migration, type MigrationFormat, type MigrationInput } from './migration-format.js';

/**
 * Flyway: `V<version>__<description>.sql` in version order, then `R__<description>.sql` by description; each
 * file in a transaction unless a statement refuses one. Explicit files run in the order given.
 */
export const flywayFormat: MigrationFormat = {
  name: 'flyway',
  looksFor: 'V<version>__<description>.sql files (R__ repeatables)',
  async detect(input) {
    const named = input.files.filter((f) => parseFlywayName(basename(f)).type !== 'other' && !/^U/.test(basename(f)));
    return named.length ? `${named.length} file${named.length === 1 ? '' : 's'} named V<version>__… or R__…` : undefined;
  },
  async read(input, context) {
    const settings = await findFlywayConfig(flywayConfigFolders(context.cwd, input.explicit ? undefined : input.folder), context.env, context.cwd);
    const placeholders = placeholderValues(settings, context);
    const result = input.explicit ? await readExplicit(input, context, placeholders) : await readFolder(input, context, placeholders);
    if (settings?.defaultSchema) {
      // Flyway makes the default schema its connection's first schema for every migration…
      const session = [`SELECT pg_catalog.set_config('search_path', ${quoteLiteral(quoteIdent(settings.defaultSchema))} || ', ' || pg_catalog.current_setting('search_path'), false)`];
      result.migrations = result.migrations.map((m) => ({ ...m, session: [...(m.session ?? []), ...session] }));
      // …and creates the schemas it manages when they are missing (flyway.createSchemas, on by default).
      const create = [...new Set([settings.defaultSchema, ...settings.schemas])];
      if (settings.createSchemas) result.setup = [...(result.setup ?? []), await createSchemasMigration(settings, create, context)];
    }
    result.toolTables = [`${settings?.defaultSchema ?? 'public'}.${settings?.table ?? 'flyway_schema_history'}`];
    if (settings) {
      const count = Object.keys(settings.placeholders).length;
      const schemas = settings.defaultSchema ? `; migrations run with ${settings.defaultSchema} first on the search_path${settings.createSchemas ? `, after creating ${[...new Set([settings.defaultSchema, ...settings.schemas])].join(', ')} when missing` : ''}` : '';
      result.notes = [...(result.notes ?? []), `Flyway config ${displayPath(settings.file, context.cwd)} read (${count} placeholder${count === 1 ? '' : 's'}${schemas})`];
    }
    return result;
  },
};

/**
 * The schemas Flyway creates before the first migration, as a migration located at the config file's line that
 * names them (blank elsewhere, so a failure points there).
 */
async function createSchemasMigration(settings: FlywaySettings, schemas: string[], context: FormatContext): Promise<Migration> {
  const file = await readSqlFile(settings.file, context.cwd);
  const at = (settings.schemasLine ?? 1) - 1;
  const sql = joinLines(splitLines(file.text), (_line, i) => (i === at ? schemas.map((s) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s)};`).join(' ') : false));
  return { path: settings.file, description: 'schemas Flyway creates', sql, transaction: true };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** How placeholders are found and what they stand for; undefined when placeholder replacement is off. */
interface Placeholders {
  prefix: string;
  suffix: string;
  values: Record<string, string>;
  /** Where the values come from, for the hint when one is missing. */
  sources: string;
}

/**
 * Flyway's placeholder values: the project's flyway.conf/flyway.toml, then the config's "placeholders" (which
 * win), and the built-ins. `${flyway:database}` is the scratch database (an ALTER DATABASE must reach it) and
 * `${flyway:user}` the configured user, else the role running the migrations.
 */
function placeholderValues(settings: FlywaySettings | undefined, context: FormatContext): Placeholders | undefined {
  if (settings && !settings.replacePlaceholders) return undefined;
  return {
    prefix: settings?.prefix ?? '${',
    suffix: settings?.suffix ?? '}',
    values: {
      'flyway:defaultSchema': settings?.defaultSchema ?? 'public',
      'flyway:user': settings?.user ?? SESSION_TOKENS.user,
      'flyway:database': SESSION_TOKENS.database,
      'flyway:table': settings?.table ?? 'flyway_schema_history',
      'flyway:workingDirectory': context.cwd,
      ...(settings?.placeholders ?? {}),
      ...(context.placeholders ?? {}),
    },
    sources: `"placeholders" in verify-schema.config.json${settings ? ` or flyway.placeholders.<name> in ${displayPath(settings.file, context.cwd)}` : ' (or a flyway.conf / flyway.toml)'}`,
  };
}

/** Replaces every placeholder; one with no value stops the run, as in Flyway, with a hint naming it. */
function substitutePlaceholders(text: string, path: string, placeholders: Placeholders | undefined, cwd: string): string {
  if (!placeholders) return text;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${escape(placeholders.prefix)}([A-Za-z0-9_.:-]+)${escape(placeholders.suffix)}`, 'g');
  const values: Record<string, string> = { ...placeholders.values, 'flyway:filename': basename(path) };
  return text.replace(pattern, (token, name: string, offset: number) => {
    const value = values[name];
    if (value !== undefined) return value;
    const line = text.slice(0, offset).split(/\r\n|\r|\n/).length;
    throw new InputError(`${displayPath(path, cwd)}:${line}: no value for Flyway placeholder ${token}; set "${name}" in ${placeholders.sources}`);
  });
}

async function readFolder(input: MigrationInput, context: FormatContext, placeholders: Placeholders | undefined): Promise<FormatMigrations> {
  const sqlFiles = input.files.filter((f) => f.toLowerCase().endsWith('.sql'));
  const ordered = orderFlywayFolder(input.folder, sqlFiles, context.cwd);
  if (ordered.files.length === 0) {
    throw new InputError(`migrations folder ${displayPath(input.folder, context.cwd)} has no V<version>__<description>.sql files; check the path, or pass --migration-format for another tool's layout`);
  }
  const migrations = await Promise.all(ordered.files.map(async (f) => toMigration(f.path, context, placeholders, { version: f.version, description: f.description, repeatable: f.repeatable })));
  // Misnamed files are a `migration-misnamed` finding (warning) of the history checks; undo files only a note.
  return { migrations, skipped: ordered.skipped.filter((s) => s.undo) };
}

async function readExplicit(input: MigrationInput, context: FormatContext, placeholders: Placeholders | undefined): Promise<FormatMigrations> {
  const migrations = await Promise.all(
    input.files.map(async (path) => {
      const name = parseFlywayName(basename(path));
      return toMigration(path, context, placeholders, {
        version: name.type === 'versioned' ? name.version.join('.') : undefined,
        description: name.type === 'versioned' || name.type === 'repeatable' ? name.description : undefined,
        repeatable: name.type === 'repeatable',
      });
    }),
  );
  return { migrations };
}

async function toMigration(path: string, context: FormatContext, placeholders: Placeholders | undefined, naming: Pick<Migration, 'version' | 'description' | 'repeatable'>): Promise<Migration> {
  const file = await readSqlFile(path, context.cwd);
  return { path, ...naming, sql: substitutePlaceholders(file.text, path, placeholders, context.cwd), transaction: 'auto' };
}
