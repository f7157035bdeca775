import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { InputError } from '../errors.js';
import { displayPath } from './display-path.js';
import { detectMigrationFormat } from './formats/detect-format.js';
import { findFlywayConfig } from './formats/flyway-config.js';
import type { MigrationFormatName, MigrationInput, ProjectLayout } from './formats/migration-format.js';
import { MIGRATION_FORMATS } from './formats/registry.js';
import { comparePaths } from './natural-order.js';

/** Folders where projects commonly keep migrations, in the order they are looked at. */
export const MIGRATION_FOLDERS = ['db/migration', 'db/migrations', 'migrations', 'sql/migrations', 'database/migrations', 'src/main/resources/db/migration'];
/** Where projects commonly keep a reference schema, folders or files, in the order they are looked at. */
export const REFERENCE_PATHS = ['db/schema', 'db/schema.sql', 'schema', 'schema.sql', 'db/structure.sql', 'doc/schema.sql', 'sql/schema.sql', 'database/schema.sql'];

/**
 * Finds the migrations and the reference of a project from its root, as a user would point at them:
 * a format module's own layout first (Supabase, graphile-migrate, a Sqitch plan, Flyway's `flyway.locations`),
 * then the common migrations folders, detected by their files. Throws a one-line error listing what was looked
 * for when nothing is found, and one naming the candidates when two different folders qualify.
 */
export async function discoverProject(root: string, env: Record<string, string | undefined> = process.env): Promise<ProjectLayout> {
  for (const format of MIGRATION_FORMATS) {
    const layout = await format.discoverProject?.(root);
    if (layout) return withReference(root, layout);
  }
  const flyway = await findFlywayConfig([root], env, root);
  const folders = flyway?.locations?.length ? flyway.locations.map((l) => relative(root, l) || '.') : MIGRATION_FOLDERS;
  const found: Array<{ folder: string; format: MigrationFormatName; evidence: string }> = [];
  for (const folder of folders) {
    const input = await folderInput(root, folder);
    if (!input) continue;
    const detected = await detectMigrationFormat([input], root).catch(() => undefined);
    if (detected && detected.how !== 'default') found.push({ folder, format: detected.format.name, evidence: detected.evidence ?? '' });
  }
  if (found.length > 1) {
    throw new InputError(`found migrations in more than one folder: ${found.map((f) => `${f.folder} (${f.format})`).join(', ')}; pass --migrations FOLDER (or run verify-schema init --migrations FOLDER to keep it in a config file)`);
  }
  if (found.length === 0) {
    const hints = MIGRATION_FORMATS.flatMap((f) => (f.projectHint ? [f.projectHint] : []));
    const looked = flyway?.locations?.length
      ? `the flyway.locations of ${displayPath(flyway.file, root)} (${folders.join(', ')})`
      : `a migrations folder with a known tool's files (${MIGRATION_FOLDERS.join(', ')})${hints.length ? `, ${hints.join(', ')}` : ''}`;
    throw new InputError(`no migrations found in ${root}: looked for ${looked}; pass --migrations PATH and --reference PATH, or write them in verify-schema.config.json`);
  }
  const [only] = found;
  const baseline = only.format === 'flyway' && (await isFolder(join(root, 'db/baseline'))) ? ['db/baseline'] : undefined;
  return withReference(root, { migrations: [only.folder], migrationFormat: only.format, baseline, description: `${only.format} migrations in ${only.folder}/ (${only.evidence})${baseline ? ', baseline db/baseline' : ''}` });
}

/** Adds the first common reference path that exists, unless the layout or its format brings one. */
async function withReference(root: string, layout: ProjectLayout): Promise<ProjectLayout> {
  if (layout.reference) return { ...layout, description: `${layout.description}, reference ${layout.reference.join(', ')}` };
  // dbmate keeps its own dump next to its migrations folder (db/schema.sql beside db/migrations).
  const candidates = layout.migrationFormat === 'dbmate' ? [join(dirname(layout.migrations[0]), 'schema.sql'), ...REFERENCE_PATHS] : REFERENCE_PATHS;
  for (const path of candidates) {
    if (await exists(join(root, path))) return { ...layout, reference: [path], description: `${layout.description}, reference ${path}` };
  }
  return layout;
}

async function folderInput(root: string, folder: string): Promise<MigrationInput | undefined> {
  const path = join(root, folder);
  if (!(await isFolder(path))) return undefined;
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort((a, b) => comparePaths(relative(path, a), relative(path, b)));
  return { folder: path, files, explicit: false };
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
