import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { displayPath } from '../inputs/display-path.js';
import { compareVersions, parseFlywayName } from '../inputs/formats/flyway-naming.js';
import { compareDigits } from '../inputs/natural-order.js';
import { nextSqitchChange } from './sqitch-change.js';

export const FIX_DESCRIPTION = 'reconcile_reference';

/** The migration tools whose folders `fix --write` can add a migration to. */
export const WRITABLE_FORMATS = ['flyway', 'golang-migrate', 'goose', 'dbmate', 'sqitch', 'graphile-migrate', 'supabase'] as const;

export interface MigrationToWrite {
  /** The file to create. */
  path: string;
  /** Its text, in the tool's layout. */
  text: string;
  /** Files written next to it (golang-migrate's empty .down.sql). */
  companions: Array<{ path: string; text: string }>;
}

/**
 * Where and how `fix --write` saves the migration: in the migrations folder (or the one folder the given files
 * are in), as the tool's next version — the highest version of the folder plus one, zero-padded to the same
 * width, so the new file sorts last and never takes a version that exists:
 * - Flyway: `V<next>__reconcile_reference.sql` (V005 → V006, V1.9 → V1.10);
 * - golang-migrate: `<next>_reconcile_reference.up.sql` and an empty `.down.sql` (the tool wants the pair);
 * - goose: `<next>_reconcile_reference.sql` with `-- +goose Up` (and `-- +goose NO TRANSACTION` when the fix
 *   runs outside a transaction; statements whose text holds a semicolon between StatementBegin/End);
 * - dbmate: `<next>_reconcile_reference.sql` with `-- migrate:up` (`transaction:false` when outside one);
 * - Sqitch: a new change (see nextSqitchChange);
 * - graphile-migrate: `current.sql`, where graphile-migrate takes the next migration until `graphile-migrate
 *   commit` moves it to committed/ — added to what is there only when the fix was computed after it
 *   (--include-current), never over uncommitted work it did not see;
 * - Supabase: `supabase/migrations/<UTC yyyymmddhhmmss>_reconcile_reference.sql`, as `supabase migration new`
 *   names one (a second later than the newest when the clock is behind it).
 */
export async function nextMigration(
  format: string,
  migrations: string[],
  cwd: string,
  fix: { sql: string; statements: string[]; outsideTransaction: boolean },
  context: { includeCurrent?: boolean; now?: Date } = {},
): Promise<MigrationToWrite> {
  if (!(WRITABLE_FORMATS as readonly string[]).includes(format)) {
    throw new InputError(`--write cannot add a ${format} migration (it knows ${WRITABLE_FORMATS.join(', ')}); use --output FILE and add it as ${format} expects`);
  }
  const folder = await migrationsFolder(migrations, cwd);
  const now = context.now ?? new Date();
  if (format === 'sqitch') return nextSqitchChange(folder, FIX_DESCRIPTION, fix, now);
  if (format === 'graphile-migrate') return graphileCurrent(folder, fix, context.includeCurrent ?? false, cwd);
  const names = await readdir(folder);
  switch (format) {
    case 'supabase': {
      const stamp = supabaseTimestamp(now, names.map((n) => /^(\d+)_.*\.sql$/.exec(n)?.[1]));
      return { path: join(folder, `${stamp}_${FIX_DESCRIPTION}.sql`), text: fix.sql, companions: [] };
    }
    case 'flyway': {
      const next = nextFlywayVersion(names, folder);
      return { path: join(folder, `V${next}__${FIX_DESCRIPTION}.sql`), text: fix.sql, companions: [] };
    }
    case 'golang-migrate': {
      const next = nextNumber(names.map((n) => /^(\d+)_.*\.(?:up|down)\.sql$/i.exec(n)?.[1]), folder);
      const base = join(folder, `${next}_${FIX_DESCRIPTION}`);
      return { path: `${base}.up.sql`, text: fix.sql, companions: [{ path: `${base}.down.sql`, text: '-- verify-schema fix writes no down migration: write one if your workflow needs it.\n' }] };
    }
    case 'goose': {
      const next = nextNumber(names.map((n) => /^(\d+)_.*\.(?:sql|go)$/.exec(n)?.[1]), folder);
      return { path: join(folder, `${next}_${FIX_DESCRIPTION}.sql`), text: gooseText(fix), companions: [] };
    }
    default: {
      const next = nextNumber(names.map((n) => /^(\d+).*\.sql$/.exec(n)?.[1]), folder);
      const up = `-- migrate:up${fix.outsideTransaction ? ' transaction:false' : ''}\n`;
      return { path: join(folder, `${next}_${FIX_DESCRIPTION}.sql`), text: `${up}${fix.sql}\n-- migrate:down\n`, companions: [] };
    }
  }
}

/** `20261130145244` (UTC), or the newest existing timestamp plus one second's worth when that is not later. */
function supabaseTimestamp(now: Date, existing: Array<string | undefined>): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const newest = existing.filter((v): v is string => v !== undefined).sort(compareDigits).at(-1);
  return newest && compareDigits(newest, stamp) >= 0 ? increment(newest) : stamp;
}

/**
 * graphile-migrate's current.sql (in the migrations folder, or its parent when given committed/). A
 * current/ folder of several files, or a current.sql holding work the fix was not computed after, is left
 * alone with a one-line error.
 */
async function graphileCurrent(given: string, fix: { sql: string; outsideTransaction: boolean }, includeCurrent: boolean, cwd: string): Promise<MigrationToWrite> {
  const folder = basename(given) === 'committed' ? dirname(given) : given;
  const path = join(folder, 'current.sql');
  if (await stat(join(folder, 'current')).catch(() => undefined)) {
    throw new InputError(`--write: ${displayPath(join(folder, 'current'), cwd)} is a folder of current migration files; use --output FILE and add the fix there yourself`);
  }
  const existing = await readFile(path, 'utf8').catch(() => '');
  const work = existing.replace(/--[^\n]*/g, '').trim() !== '';
  if (work && !includeCurrent) {
    throw new InputError(`--write: ${displayPath(path, cwd)} holds uncommitted work the fix was not computed after; run fix with --include-current (the fix then follows it) or commit it first (graphile-migrate commit)`);
  }
  const header = '-- verify-schema fix: graphile-migrate watch runs current.sql again on every save and this fix is not idempotent; commit it (graphile-migrate commit) before editing it.\n';
  const text = work ? `${existing}${existing.endsWith('\n') ? '' : '\n'}\n${header}${fix.sql}` : `${header}${fix.sql}`;
  return { path, text, companions: [] };
}

async function migrationsFolder(migrations: string[], cwd: string): Promise<string> {
  const folders = new Set<string>();
  for (const m of migrations) {
    const path = resolve(cwd, m);
    const isDir = (await stat(path).catch(() => undefined))?.isDirectory();
    folders.add(isDir ? path : dirname(path));
  }
  if (folders.size !== 1) throw new InputError(`--write needs the migrations in one folder, got ${folders.size}; use --output FILE instead`);
  return [...folders][0];
}

function nextFlywayVersion(names: string[], folder: string): string {
  let highest: string[] | undefined;
  let highestText = '';
  for (const name of names) {
    const parsed = parseFlywayName(name);
    if (parsed.type !== 'versioned') continue;
    if (!highest || compareVersions(parsed.version, highest) > 0) {
      highest = parsed.version;
      highestText = /^V(\d+(?:[._]\d+)*)__/.exec(name)![1];
    }
  }
  if (!highest) throw new InputError(`--write found no V<version>__<description>.sql file in ${folder} to number the new one after; use --output FILE instead`);
  const last = /(\d+)$/.exec(highestText)!;
  return `${highestText.slice(0, last.index)}${increment(last[1])}`;
}

function nextNumber(versions: Array<string | undefined>, folder: string): string {
  const found = versions.filter((v): v is string => v !== undefined).sort(compareDigits);
  if (found.length === 0) throw new InputError(`--write found no numbered migration in ${folder} to number the new one after; use --output FILE instead`);
  return increment(found[found.length - 1]);
}

function increment(digits: string): string {
  return String(BigInt(digits) + 1n).padStart(digits.length, '0');
}

/** goose splits on semicolons at line ends unless a statement is wrapped in StatementBegin/End. */
function gooseText(fix: { sql: string; statements: string[]; outsideTransaction: boolean }): string {
  let text = fix.sql;
  for (const statement of fix.statements) {
    if (!statement.includes(';')) continue;
    text = text.replace(`${statement.trimEnd()};\n`, `-- +goose StatementBegin\n${statement.trimEnd()};\n-- +goose StatementEnd\n`);
  }
  return `-- +goose Up\n${fix.outsideTransaction ? '-- +goose NO TRANSACTION\n' : ''}${text}\n-- +goose Down\n`;
}
