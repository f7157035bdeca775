import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { displayPath } from './display-path.js';
import { orderFlywayFolder, parseFlywayName, type MigrationFile } from './flyway.js';
import { listSqlFiles, resolveInputPath } from './list-sql-files.js';

export interface InputPaths {
  reference: string[];
  migrations: string[];
  baseline?: string[];
}

export interface ResolvedInputs {
  reference: string[];
  baseline: string[];
  migrations: MigrationFile[];
  warnings: string[];
}

/**
 * Turns path arguments into ordered file lists. Reference and baseline folders: every `.sql` below them in
 * path order. A migrations folder: Flyway's order. Explicit files: the order given.
 */
export async function resolveInputs(paths: InputPaths, cwd = process.cwd()): Promise<ResolvedInputs> {
  const warnings: string[] = [];
  if (paths.reference.length === 0) throw new InputError('no reference schema given; pass --reference PATH or set "reference" in verify-schema.config.json');
  if (paths.migrations.length === 0) throw new InputError('no migrations given; pass --migrations PATH or set "migrations" in verify-schema.config.json');
  const reference = await expandPlain(paths.reference, 'reference', cwd);
  const baseline = await expandPlain(paths.baseline ?? [], 'baseline', cwd);
  const migrations: MigrationFile[] = [];
  for (const p of paths.migrations) {
    const resolved = await resolveInputPath(p, 'migrations', cwd);
    if (resolved.isDirectory) {
      const ordered = orderFlywayFolder(resolved.path, await listSqlFiles(resolved.path), cwd);
      // Misnamed files are a `migration-misnamed` finding (warning) of the history checks; undo files only a note.
      for (const s of ordered.skipped) if (s.undo) warnings.push(`${displayPath(s.path, cwd)}: ${s.reason}`);
      if (ordered.files.length === 0) throw new InputError(`migrations folder ${displayPath(resolved.path, cwd)} has no V<version>__<description>.sql files; check the path`);
      migrations.push(...ordered.files);
    } else {
      const name = parseFlywayName(basename(resolved.path));
      migrations.push({
        path: resolved.path,
        version: name.type === 'versioned' ? name.version.join('.') : undefined,
        description: name.type === 'versioned' || name.type === 'repeatable' ? name.description : undefined,
        repeatable: name.type === 'repeatable',
      });
    }
  }
  return { reference, baseline, migrations, warnings };
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
