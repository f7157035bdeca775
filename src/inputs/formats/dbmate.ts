import { access, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { displayPath } from '../display-path.js';
import { readSqlFile } from '../read-sql-file.js';
import type { FormatContext, FormatMigrations, Migration, MigrationFormat, MigrationInput } from './migration-format.js';
import { joinLines, splitLines } from './sql-sections.js';

/** dbmate's migration file name: a version of digits first, then anything, `.sql`. */
const NAME = /^(\d+).*\.sql$/;
const UP = /^--\s*migrate:up(\s*$|\s+\S+)/;
const DOWN = /^--\s*migrate:down(\s*$|\s+\S+)/;

/**
 * dbmate (amacneil/dbmate): `<version>_<name>.sql` in the folder itself (default `db/migrations`), in file-name
 * order. A file holds one or more `-- migrate:up` … `-- migrate:down` pairs; only the up blocks run, each in a
 * transaction unless its directive says `transaction:false`. dbmate's own dump, `db/schema.sql` next to the
 * migrations folder, is the default reference; its bookkeeping table `schema_migrations` is not compared.
 */
export const dbmateFormat: MigrationFormat = {
  name: 'dbmate',
  looksFor: '<version>_<name>.sql files with -- migrate:up / -- migrate:down sections',
  async detect(input) {
    let annotated = 0;
    for (const path of candidates(input)) {
      const text = await readFile(path, 'utf8').catch(() => '');
      if (text.split(/\r?\n/).some((l) => UP.test(l))) annotated++;
    }
    return annotated ? `${annotated} file${annotated === 1 ? '' : 's'} with -- migrate:up` : undefined;
  },
  async read(input, context) {
    const files = candidates(input);
    // dbmate sorts by file name as text (its versions are timestamps of one width).
    if (!input.explicit) files.sort((a, b) => (basename(a) < basename(b) ? -1 : basename(a) > basename(b) ? 1 : 0));
    if (files.length === 0) throw new InputError(`migrations folder ${displayPath(input.folder, context.cwd)} has no dbmate migrations (<version>_<name>.sql); check the path or --migration-format`);
    const migrations: Migration[] = [];
    for (const path of files) migrations.push(...(await readDbmateFile(path, context)));
    const result: FormatMigrations = { migrations, toolTables: ['public.schema_migrations'] };
    const schemaFile = context.env.DBMATE_SCHEMA_FILE ? resolve(context.cwd, context.env.DBMATE_SCHEMA_FILE) : join(dirname(input.folder), 'schema.sql');
    if (await exists(schemaFile)) result.defaultReference = [schemaFile];
    return result;
  },
};

/** dbmate reads the folder itself; files not starting with a version are not migrations to it. */
function candidates(input: MigrationInput): string[] {
  return input.files.filter((f) => (input.explicit || dirname(f) === input.folder) && NAME.test(basename(f)));
}

/** One Migration per up block (a file with several blocks may mix transaction:false and true). */
async function readDbmateFile(path: string, context: FormatContext): Promise<Migration[]> {
  const file = await readSqlFile(path, context.cwd);
  const lines = splitLines(file.text);
  const ups = lines.flatMap((l, i) => (UP.test(l.text) ? [i] : []));
  if (ups.length === 0) throw new InputError(`${file.displayPath}: no -- migrate:up line, so dbmate refuses this file; put -- migrate:up above its SQL`);
  const before = lines.slice(0, ups[0]).find((l) => l.text.trim() !== '' && !/^\s*--/.test(l.text));
  if (before) throw new InputError(`${file.displayPath}:${lines.indexOf(before) + 1}: SQL before -- migrate:up, which dbmate refuses; move it into the up block`);
  const version = NAME.exec(basename(path))![1];
  const description = basename(path).replace(/^\d+_?/, '').replace(/\.sql$/, '').replace(/_/g, ' ');
  return ups.map((start, n) => {
    const next = ups[n + 1] ?? lines.length;
    const downs = lines.slice(start, next).flatMap((l, i) => (DOWN.test(l.text) ? [start + i] : []));
    if (downs.length === 0) throw new InputError(`${file.displayPath}:${start + 1}: this -- migrate:up has no -- migrate:down after it, which dbmate refuses; add one (it may be empty)`);
    if (downs.length > 1) throw new InputError(`${file.displayPath}:${downs[1] + 1}: a second -- migrate:down after one -- migrate:up, which dbmate refuses`);
    const end = downs[0];
    const options = lines[start].text.replace(/^--\s*migrate:up/, '').trim();
    const transaction = !options.split(/\s+/).some((pair) => pair === 'transaction:false');
    const sql = joinLines(lines, (line, i) => (i > start && i < end ? line.text : false));
    return { path, version, description, sql, transaction };
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
