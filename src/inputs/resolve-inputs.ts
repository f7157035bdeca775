import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { InputError } from '../errors.js';
import type { Finding } from '../report/finding.js';
import { displayPath } from './display-path.js';
import { discoverProject, REFERENCE_PATHS } from './discover-project.js';
import { detectMigrationFormat } from './formats/detect-format.js';
import type { FormatContext, FormatMigrations, Migration, MigrationFormatName, MigrationInput, ProjectLayout, UnappliedMigration } from './formats/migration-format.js';
import { migrationFormat } from './formats/registry.js';
import { listSqlFiles, resolveInputPath } from './list-sql-files.js';
import { comparePaths } from './natural-order.js';

export interface InputPaths {
  reference: string[];
  migrations: string[];
  baseline?: string[];
  /** The migration tool whose layout the migrations follow; detected from the files when absent. */
  migrationFormat?: string;
}

/** A migrations path as given, resolved: a folder with every file below it (in path order), or one file. */
export interface MigrationSource {
  /** Absolute. */
  path: string;
  isDirectory: boolean;
  files: string[];
}

export interface ResolvedInputs {
  reference: string[];
  baseline: string[];
  /** The tool's setup files (graphile-migrate afterReset), applied after the baseline and before the migrations. */
  setup: Migration[];
  migrations: Migration[];
  /** The migrations paths the files were read from (given, or found by discovery). */
  migrationSources: MigrationSource[];
  /** Migrations the tool runs that cannot be applied here (goose Go migrations). */
  unapplied: UnappliedMigration[];
  migrationFormat: MigrationFormatName;
  /** How the format was chosen, for the report: "given", "detected (…evidence…)" or "default". */
  migrationFormatSource: string;
  warnings: string[];
  /** Findings about the history the format found (a broken graphile-migrate hash chain). */
  findings: Finding[];
  /** The tool's bookkeeping tables, left out of the findings (see FormatMigrations.toolTables). */
  toolTables: string[];
}

/**
 * Turns path arguments into ordered file lists. Reference and baseline folders: every `.sql` below them in
 * path order. Migrations: read by the migration tool's format module (named, or detected from the files) in
 * that tool's order; files named one by one keep the order given.
 */
export async function resolveInputs(paths: InputPaths, context: Partial<FormatContext> & { cwd?: string; referenceOptional?: boolean } = {}): Promise<ResolvedInputs> {
  const cwd = context.cwd ?? process.cwd();
  const formatContext: FormatContext = { ...context, cwd, env: context.env ?? process.env };
  let found: ProjectLayout | undefined;
  if (paths.migrations.length === 0) {
    // No migrations named anywhere: find them (and what else is missing) the way a user would point at them.
    found = await discoverProject(cwd, formatContext.env);
    paths = {
      reference: paths.reference.length ? paths.reference : (found.reference ?? []),
      migrations: found.migrations,
      baseline: paths.baseline?.length ? paths.baseline : found.baseline,
      migrationFormat: paths.migrationFormat ?? found.migrationFormat,
    };
  }
  const sources = await listMigrationSources(paths.migrations, cwd);
  const inputs = migrationInputs(sources);
  const chosen = paths.migrationFormat ? { format: migrationFormat(paths.migrationFormat), how: 'given' as const } : await detectMigrationFormat(inputs, cwd);
  const read: FormatMigrations[] = [];
  for (const input of inputs) read.push(await chosen.format.read(input, formatContext));
  const migrations = read.flatMap((r) => r.migrations);
  let offset = 0;
  const unapplied: UnappliedMigration[] = [];
  for (const r of read) {
    for (const u of r.unapplied ?? []) unapplied.push({ ...u, before: u.before + offset });
    offset += r.migrations.length;
  }
  const defaultReference = read.flatMap((r) => r.defaultReference ?? []);
  const referencePaths = paths.reference.length ? paths.reference : defaultReference;
  // `verify-schema lint` needs no reference.
  if (referencePaths.length === 0 && !context.referenceOptional) {
    if (found) throw new InputError(`found ${found.description}, but no reference schema: looked for ${REFERENCE_PATHS.join(', ')}; pass --reference PATH`);
    throw new InputError(NO_REFERENCE);
  }
  const reference = await expandPlain(referencePaths, 'reference', cwd);
  const baseline = await expandPlain(paths.baseline ?? [], 'baseline', cwd);
  const warnings = [
    ...(found ? [`found without --migrations or a config: ${found.description}; verify-schema init writes this to verify-schema.config.json`] : []),
    ...read.flatMap((r) => r.notes ?? []),
    ...read.flatMap((r) => r.skipped ?? []).map((s) => `${displayPath(s.path, cwd)}: ${s.reason}`),
    ...unapplied.map((u) => `${displayPath(u.path, cwd)}: ${u.reason}`),
  ];
  return {
    reference,
    baseline,
    setup: read.flatMap((r) => r.setup ?? []),
    migrations,
    migrationSources: sources,
    unapplied,
    migrationFormat: chosen.format.name,
    migrationFormatSource: chosen.how === 'detected' ? `detected: ${chosen.evidence}` : chosen.how,
    warnings,
    findings: read.flatMap((r) => r.findings ?? []),
    toolTables: [...new Set(read.flatMap((r) => r.toolTables ?? []))],
  };
}

const NO_REFERENCE = 'no reference schema given; pass --reference PATH or set "reference" in verify-schema.config.json';

/** The migrations paths, each a folder (listed once, here) or a file; a missing one stops the run. */
export async function listMigrationSources(paths: string[], cwd: string): Promise<MigrationSource[]> {
  const sources: MigrationSource[] = [];
  for (const p of paths) {
    const resolved = await resolveInputPath(p, 'migrations', cwd);
    sources.push({ ...resolved, files: resolved.isDirectory ? await listAllFiles(resolved.path) : [resolved.path] });
  }
  return sources;
}

/** The migrations paths as format inputs: each folder on its own; files named one by one together, in the order given. */
function migrationInputs(sources: MigrationSource[]): MigrationInput[] {
  const inputs: MigrationInput[] = sources.filter((s) => s.isDirectory).map((s) => ({ folder: s.path, files: s.files, explicit: false }));
  const explicit = sources.filter((s) => !s.isDirectory).map((s) => s.path);
  if (explicit.length) inputs.push({ folder: dirname(explicit[0]), files: explicit, explicit: true });
  return inputs;
}

/** Every file below a folder (not only .sql: goose keeps .go migrations, Sqitch a plan), in path order. */
async function listAllFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort((a, b) => comparePaths(relative(folder, a), relative(folder, b)));
}

export async function expandPlain(paths: string[], what: string, cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const resolved = await resolveInputPath(p, what, cwd);
    if (!resolved.isDirectory) {
      files.push(resolved.path);
      continue;
    }
    const found = await listSqlFiles(resolved.path);
    if (found.length === 0) throw new InputError(`${what} folder ${displayPath(resolved.path, cwd)} has no .sql files; check the path`);
    files.push(...found);
  }
  return files;
}
