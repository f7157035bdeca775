import { readFile, readdir } from 'node:fs/promises';
import { parse as parseToml } from 'smol-toml';
import { basename, dirname, join, relative, sep } from 'node:path';
import { InputError } from '../../errors.js';
import { pathExists } from '../../path-exists.js';
import { displayPath } from '../display-path.js';
import { listSqlFiles } from '../list-sql-files.js';
import { readSqlFile } from '../read-sql-file.js';
import type { FormatContext, FormatMigrations, Migration, MigrationFormat, MigrationInput } from './migration-format.js';

/** The Supabase CLI's migration names: `<timestamp>_<name>.sql`. */
const MIGRATION_NAME = /^([0-9]+)_(.*)\.sql$/;

/**
 * Supabase: `supabase/migrations/<timestamp>_<name>.sql` in name order, each file in one transaction (the
 * CLI sends a file's statements as one batch, which Postgres runs as one transaction). The reference, when
 * none is given, is the declarative schema `supabase/schemas/`: in the order of `[db.migrations]
 * schema_paths` in supabase/config.toml, else every .sql below it in path order. Both sides run on the
 * Supabase platform stand-in (see src/platforms/).
 */
export const supabaseFormat: MigrationFormat = {
  name: 'supabase',
  looksFor: 'supabase/migrations/<timestamp>_<name>.sql files (a Supabase CLI project)',
  projectHint: 'a supabase/migrations folder',
  async discoverProject(root) {
    const folder = join(root, 'supabase', 'migrations');
    if (!(await pathExists(folder))) return undefined;
    const context = { cwd: root, env: {} };
    const reference = await declarativeSchema(join(root, 'supabase'), context);
    const ordered = await schemaPaths(join(root, 'supabase', 'config.toml'), context);
    return {
      migrations: ['supabase/migrations'],
      migrationFormat: 'supabase',
      // The declarative schema: the folder (path order) unless config.toml orders its files.
      ...(reference.length ? { reference: ordered ? reference.map((f) => relative(root, f)) : ['supabase/schemas'] } : {}),
      description: 'Supabase project (supabase/migrations)',
    };
  },
  async detect(input) {
    if (input.explicit || !isSupabaseMigrations(input.folder)) return undefined;
    const named = input.files.filter((f) => dirname(f) === input.folder && MIGRATION_NAME.test(basename(f)));
    if (named.length) return `supabase/migrations with ${named.length} <timestamp>_<name>.sql file${named.length === 1 ? '' : 's'}`;
    return (await pathExists(join(dirname(input.folder), 'config.toml'))) ? 'supabase/config.toml' : undefined;
  },
  async read(input, context) {
    const migrations = input.explicit ? await Promise.all(input.files.map((f) => toMigration(f, context))) : await readFolder(input, context);
    const skipped = input.explicit
      ? []
      : input.files
          .filter((f) => dirname(f) === input.folder && f.endsWith('.sql') && !MIGRATION_NAME.test(basename(f)))
          .map((path) => ({ path, reason: 'not run by the Supabase CLI: a migration is named <timestamp>_<name>.sql' }));
    const supabaseDir = isSupabaseMigrations(input.folder) ? dirname(input.folder) : undefined;
    const reference = supabaseDir ? await declarativeSchema(supabaseDir, context) : [];
    return { migrations, skipped, ...(reference.length ? { defaultReference: reference } : {}) };
  },
};

export function isSupabaseMigrations(folder: string): boolean {
  return basename(folder) === 'migrations' && basename(dirname(folder)) === 'supabase';
}

async function readFolder(input: MigrationInput, context: FormatContext): Promise<Migration[]> {
  const names = (await readdir(input.folder)).filter((n) => MIGRATION_NAME.test(n)).sort();
  if (names.length === 0) throw new InputError(`${displayPath(input.folder, context.cwd)} has no <timestamp>_<name>.sql migrations; check the path (supabase migration new <name> creates them)`);
  return Promise.all(names.map((n) => toMigration(join(input.folder, n), context)));
}

async function toMigration(path: string, context: FormatContext): Promise<Migration> {
  const m = MIGRATION_NAME.exec(basename(path));
  return { path, version: m?.[1], description: m?.[2], sql: (await readSqlFile(path, context.cwd)).text, transaction: true };
}

/**
 * The declarative schema files, in the order the Supabase CLI applies them: each `schema_paths` entry of
 * `[db.migrations]` (a path or glob relative to supabase/) in turn, files a glob matches in path order, each
 * file once; without the setting, every .sql below supabase/schemas in path order.
 */
export async function declarativeSchema(supabaseDir: string, context: FormatContext): Promise<string[]> {
  const schemas = join(supabaseDir, 'schemas');
  const patterns = await schemaPaths(join(supabaseDir, 'config.toml'), context);
  if (!patterns) return (await pathExists(schemas)) ? listSqlFiles(schemas) : [];
  const all = await listFiles(supabaseDir);
  const ordered: string[] = [];
  for (const pattern of patterns) {
    const re = globToRegExp(pattern.replace(/^\.\//, ''));
    const matched = all.filter((f) => re.test(relative(supabaseDir, f).split(sep).join('/')));
    for (const f of matched) if (!ordered.includes(f)) ordered.push(f);
  }
  return ordered;
}

/** `[db.migrations] schema_paths = [...]` from supabase/config.toml; undefined when not set. */
async function schemaPaths(configPath: string, context: FormatContext): Promise<string[] | undefined> {
  if (!(await pathExists(configPath))) return undefined;
  const shown = displayPath(configPath, context.cwd);
  let config: Record<string, any>;
  try {
    config = parseToml(await readFile(configPath, 'utf8')) as Record<string, any>;
  } catch (error) {
    throw new InputError(`${shown}: not valid TOML (${(error as Error).message.split('\n')[0]}); the Supabase CLI would not read it either`, { cause: error });
  }
  const paths = config.db?.migrations?.schema_paths;
  if (paths === undefined) return undefined;
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) throw new InputError(`${shown}: [db.migrations] schema_paths must be an array of paths or globs`);
  return paths as string[];
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** A glob as Go's filepath.Match knows it (plus `**`): `*` and `?` within one path segment. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
