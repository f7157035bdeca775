import { InputError } from '../errors.js';
import { displayPath } from '../inputs/display-path.js';
import type { Migration } from '../inputs/formats/migration-format.js';
import { expandPlain, resolveInputs } from '../inputs/resolve-inputs.js';
import type { VerifyOptions } from '../options.js';
import type { ParsedFile, ParseTrees } from '../parse/parse-sql.js';
import { platformFor, withoutPreinstalled } from '../platforms/platform.js';
import { parseScript, readScripts } from '../parse/psql-script.js';
import { statementFreeFileNotes } from '../parse/statement-free-files.js';
import type { RunInputs } from './step.js';

/**
 * Finds, orders, reads and parses the files of the sides a run builds, once: the reference and the migrations
 * (with their baseline and the tool's setup files) for the sides the run builds, nothing for a live side.
 */
export async function resolveRunInputs(want: { reference: boolean; migrations: boolean }, options: VerifyOptions, cwd: string, trees?: ParseTrees): Promise<RunInputs> {
  if (want.migrations) {
    const resolved = await resolveInputs(
      { reference: want.reference ? options.reference : [], migrations: options.migrations, baseline: options.baseline, migrationFormat: options.migrationFormat },
      { cwd, env: options.env, placeholders: options.placeholders, includeCurrent: options.includeCurrent, referenceOptional: !want.reference },
    );
    const runner = resolved.migrationFormat;
    const parsed = await Promise.all([parseAll(resolved.reference, cwd, trees), parseAll(resolved.baseline, cwd, trees), parseMigrations(resolved.setup, cwd, runner, trees), parseMigrations(resolved.migrations, cwd, runner, trees)]);
    // A platform's projects (Supabase) run every file in its sessions, some of their statements already done.
    const platform = platformFor(resolved.migrationFormat);
    const onPlatform = parsed.map((files) => withoutPreinstalled(files, platform));
    const [r, b, setup, m] = onPlatform.map((p) => p.files);
    const preinstalled = [...new Set(onPlatform.flatMap((p) => [...p.skipped]))].sort();
    const platformNotes = platform ? [platform.summary, ...(preinstalled.length ? [`CREATE EXTENSION IF NOT EXISTS of extensions the platform has installed already left out: ${preinstalled.join(', ')}`] : [])] : [];
    return {
      cwd,
      reference: resolved.reference,
      baseline: resolved.baseline,
      // A file a format splits in parts (dbmate's several up blocks) is one input file.
      migrations: [...new Set(resolved.migrations.map((mig) => mig.path))],
      migrationSources: resolved.migrationSources,
      migrationFiles: [...new Set([...resolved.setup, ...resolved.migrations].map((mig) => mig.path).concat(resolved.unapplied.map((u) => u.path)))],
      toolTables: resolved.toolTables,
      unapplied: resolved.unapplied,
      migrationList: resolved.migrations,
      migrationFormat: resolved.migrationFormat,
      ...(platform ? { platform } : {}),
      parsed: { reference: r, baseline: b, setup, migrations: m },
      warnings: [...platformNotes, ...resolved.warnings, ...statementFreeFileNotes([...r, ...b, ...setup, ...m])],
      findings: resolved.findings,
    };
  }
  let reference: string[] = [];
  if (want.reference) {
    if (options.reference.length === 0) throw new InputError('no reference schema given; pass --reference PATH or set "reference" in verify-schema.config.json');
    reference = await expandPlain(options.reference, 'reference', cwd);
  }
  const parsedReference = await parseAll(reference, cwd, trees);
  return { cwd, reference, baseline: [], migrations: [], migrationSources: [], migrationFiles: [], toolTables: [], unapplied: [], migrationList: [], parsed: { reference: parsedReference, baseline: [], setup: [], migrations: [] }, warnings: statementFreeFileNotes(parsedReference), findings: [] };
}

/** Reference and baseline files are psql scripts (pg_dump output, `\i` includes): see parseScript. */
export async function parseAll(paths: string[], cwd: string, trees?: ParseTrees): Promise<ParsedFile[]> {
  return readScripts(paths, { mode: 'psql', cwd, trees });
}

/** Parses the SQL a format module says its tool runs (file lines kept), with how the tool runs each file. */
export async function parseMigrations(migrations: Migration[], cwd: string, runner = 'the migration tool', trees?: ParseTrees): Promise<ParsedFile[]> {
  return Promise.all(
    migrations.map(async (m) => ({
      // Migration tools send SQL as it is: a psql meta-command in a migration is an error that names it.
      ...(await parseScript({ path: m.path, displayPath: displayPath(m.path, cwd), text: m.sql }, { mode: 'none', cwd, runner, trees })),
      run: { transaction: m.transaction, ...(m.session?.length ? { session: m.session } : {}) },
    })),
  );
}
