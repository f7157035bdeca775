import { basename, dirname } from 'node:path';
import { InputError } from '../../errors.js';
import { displayPath } from '../display-path.js';
import { compareDigits } from '../natural-order.js';
import { readSqlFile } from '../read-sql-file.js';
import type { MigrationFormat, MigrationInput } from './migration-format.js';

/** golang-migrate's file name: `{version}_{title}.{up|down}.{ext}`. */
const NAME = /^(\d+)_(.*)\.(up|down)\.sql$/i;

/**
 * golang-migrate (golang-migrate/migrate): `{version}_{title}.up.sql` in the folder itself, in numeric version
 * order; `.down.sql` files are not run. The Postgres driver sends a file as one query string, which Postgres runs
 * as one transaction — unless the file holds a statement that refuses one (then it would fail there too; here
 * it runs without, statement by statement) or writes its own BEGIN/COMMIT.
 */
export const golangMigrateFormat: MigrationFormat = {
  name: 'golang-migrate',
  looksFor: '{version}_{title}.up.sql files (with .down.sql next to them)',
  async detect(input) {
    const named = candidates(input).filter((f) => NAME.test(basename(f)));
    return named.length ? `${named.length} file${named.length === 1 ? '' : 's'} named {version}_{title}.up/down.sql` : undefined;
  },
  async read(input, context) {
    const ups: Array<{ path: string; version: string; title: string }> = [];
    for (const path of candidates(input)) {
      const m = NAME.exec(basename(path));
      if (m && m[3].toLowerCase() === 'up') ups.push({ path, version: m[1].replace(/^0+(?=\d)/, ''), title: m[2] });
      else if (input.explicit && !m) throw new InputError(`${displayPath(path, context.cwd)}: not a golang-migrate file name ({version}_{title}.up.sql); rename it or pass --migration-format`);
    }
    if (!input.explicit) ups.sort((a, b) => compareDigits(a.version, b.version));
    for (let i = 1; i < ups.length; i++) {
      if (compareDigits(ups[i - 1].version, ups[i].version) === 0) {
        throw new InputError(`duplicate golang-migrate version ${ups[i].version}: ${displayPath(ups[i - 1].path, context.cwd)} and ${displayPath(ups[i].path, context.cwd)}; golang-migrate refuses the folder — give one a new version`);
      }
    }
    if (ups.length === 0) throw new InputError(`migrations folder ${displayPath(input.folder, context.cwd)} has no golang-migrate files ({version}_{title}.up.sql); check the path or --migration-format`);
    const migrations = await Promise.all(
      ups.map(async (m) => ({ path: m.path, version: m.version, description: m.title.replace(/_/g, ' '), sql: (await readSqlFile(m.path, context.cwd)).text, transaction: 'auto' as const })),
    );
    return { migrations, toolTables: ['public.schema_migrations'] };
  },
};

/** golang-migrate's file source reads the folder itself, not sub-folders. */
function candidates(input: MigrationInput): string[] {
  return input.explicit ? input.files : input.files.filter((f) => dirname(f) === input.folder);
}
