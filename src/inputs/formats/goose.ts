import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { InputError } from '../../errors.js';
import { displayPath } from '../display-path.js';
import { compareDigits } from '../natural-order.js';
import { readSqlFile } from '../read-sql-file.js';
import { substituteEnv } from './env-substitution.js';
import type { FormatContext, FormatMigrations, Migration, MigrationFormat, MigrationInput, UnappliedMigration } from './migration-format.js';
import { joinLines, splitLines } from './sql-sections.js';

/**
 * goose (pressly/goose): `<version>_<name>.sql` and `<version>_<name>.go` in the folder itself (goose does not
 * look in sub-folders), ordered by version. Of a SQL file only the `-- +goose Up` section runs; it runs in one
 * transaction unless the file says `-- +goose NO TRANSACTION`, then statement by statement outside any.
 * Go migrations cannot run here: each is reported in one line.
 */
export const gooseFormat: MigrationFormat = {
  name: 'goose',
  looksFor: '<version>_<name>.sql files with a -- +goose Up annotation (and <version>_<name>.go migrations)',
  async detect(input) {
    let annotated = 0;
    // Only files goose would take (a version prefix) are opened: a Flyway history of thousands of V… files is
    // told apart by names alone.
    for (const path of candidates(input)) {
      if (path.endsWith('.sql') && gooseVersion(basename(path)) && GOOSE_UP.test(await readFile(path, 'utf8').catch(() => ''))) annotated++;
    }
    return annotated ? `${annotated} file${annotated === 1 ? '' : 's'} with -- +goose Up` : undefined;
  },
  async read(input, context) {
    const sql: Array<{ path: string; version: string }> = [];
    const go: Array<{ path: string; version: string }> = [];
    for (const path of candidates(input)) {
      const name = basename(path);
      const version = gooseVersion(name);
      if (name.endsWith('.go')) {
        // goose skips Go files without a version prefix and Go tests.
        if (version && !name.endsWith('_test.go')) go.push({ path, version });
        continue;
      }
      if (!name.toLowerCase().endsWith('.sql')) continue;
      if (!version) throw new InputError(`${displayPath(path, context.cwd)}: goose cannot read a version from this name (it needs <version>_<name>.sql with a version above 0); rename it or move it out of the migrations folder`);
      sql.push({ path, version });
    }
    const all = [...sql.map((m) => ({ ...m, go: false })), ...go.map((m) => ({ ...m, go: true }))];
    if (!input.explicit) all.sort((a, b) => compareDigits(a.version, b.version));
    for (let i = 1; i < all.length; i++) {
      if (compareDigits(all[i - 1].version, all[i].version) === 0) {
        throw new InputError(`duplicate goose version ${all[i].version}: ${displayPath(all[i - 1].path, context.cwd)} and ${displayPath(all[i].path, context.cwd)}; give one of them a new version`);
      }
    }
    if (sql.length === 0 && go.length === 0) throw new InputError(`migrations folder ${displayPath(input.folder, context.cwd)} has no goose migrations (<version>_<name>.sql); check the path or --migration-format`);
    const migrations: Migration[] = [];
    const unapplied: UnappliedMigration[] = [];
    const unset = new Set<string>();
    for (const m of all) {
      if (m.go) {
        unapplied.push({ path: m.path, version: m.version, reason: 'goose Go migration, not applied: verify-schema runs SQL only, so what it does to the schema is not checked', before: migrations.length });
      } else {
        migrations.push(await readGooseSql(m.path, m.version, context, unset));
      }
    }
    const notes = unset.size ? [`goose ENVSUB: environment variable${unset.size === 1 ? '' : 's'} ${[...unset].join(', ')} not set, substituted as empty (as goose does)`] : [];
    return { migrations, unapplied, notes, toolTables: ['public.goose_db_version'] };
  },
};

const GOOSE_UP = /^--\s*\+goose\s+up\b/im;

/** goose reads the folder itself only; explicit files are taken as given. */
function candidates(input: MigrationInput): string[] {
  return input.explicit ? input.files : input.files.filter((f) => dirname(f) === input.folder);
}

/** goose's version: the digits before the first `_`, above zero. */
function gooseVersion(name: string): string | undefined {
  const m = /^(\d+)_/.exec(name);
  if (!m) return undefined;
  const version = m[1].replace(/^0+(?=\d)/, '');
  return version === '0' ? undefined : version;
}

type Annotation = 'up' | 'down' | 'statementbegin' | 'statementend' | 'no transaction' | 'envsub on' | 'envsub off';
const ANNOTATIONS: readonly Annotation[] = ['up', 'down', 'statementbegin', 'statementend', 'no transaction', 'envsub on', 'envsub off'];

/**
 * The Up section of a goose SQL file, with its own line numbers: lines before `-- +goose Up` and from
 * `-- +goose Down` on are blanked. StatementBegin/End blocks need nothing: the Postgres parser splits
 * statements itself, so a function body with semicolons stays whole.
 */
async function readGooseSql(path: string, version: string, context: FormatContext, unset: Set<string>): Promise<Migration> {
  const file = await readSqlFile(path, context.cwd);
  const lines = splitLines(file.text);
  let section: 'before' | 'up' | 'down' = 'before';
  let transaction = true;
  let envsub = false;
  const where = (i: number) => `${file.displayPath}:${i + 1}`;
  const sql = joinLines(lines, (line, i) => {
    const annotation = gooseAnnotation(line.text, where(i));
    if (annotation === 'up') {
      if (section !== 'before') throw new InputError(`${where(i)}: a second -- +goose Up; goose refuses the file — keep one Up section`);
      section = 'up';
    } else if (annotation === 'down') {
      section = 'down';
    } else if (annotation === 'no transaction') transaction = false;
    else if (annotation === 'envsub on') envsub = true;
    else if (annotation === 'envsub off') envsub = false;
    if (section !== 'up' || annotation) return false;
    return envsub ? substituteEnv(line.text, context.env, where(i), unset) : line.text;
  });
  if (section === 'before') throw new InputError(`${file.displayPath}: no -- +goose Up annotation, so goose refuses this file; put -- +goose Up above its SQL`);
  return { path, version, description: basename(path).replace(/^\d+_/, '').replace(/\.sql$/i, '').replace(/_/g, ' '), sql, transaction };
}

/** `-- +goose NO TRANSACTION` → "no transaction"; undefined for any other line. An unknown annotation stops goose, so it stops here too. */
function gooseAnnotation(text: string, where: string): Annotation | undefined {
  if (!text.trimStart().startsWith('--') || !text.includes('+goose')) return undefined;
  const name = text.replaceAll('--', '').replace('+goose', '').trim().toLowerCase().replace(/\s+/g, ' ');
  const found = ANNOTATIONS.find((a) => a === name);
  if (!found) throw new InputError(`${where}: unknown goose annotation "${text.trim()}"; goose knows Up, Down, StatementBegin, StatementEnd, NO TRANSACTION, ENVSUB ON/OFF`);
  return found;
}
