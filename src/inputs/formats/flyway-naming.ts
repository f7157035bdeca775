import { basename, relative } from 'node:path';
import { InputError } from '../../errors.js';
import { displayPath } from '../display-path.js';
import { compareDigits, compareNatural, comparePaths } from '../natural-order.js';

/** A migration file classified by Flyway's naming rules. */
export type FlywayName =
  | { type: 'versioned'; version: string[]; description: string }
  | { type: 'repeatable'; description: string }
  | { type: 'undo'; version: string[]; description: string }
  | { type: 'other' };

/**
 * Flyway's default naming: `V<version>__<description>.sql`, `R__<description>.sql`, `U<version>__…` (undo).
 * Version parts are separated by `.` or a single `_` and compare as numbers.
 */
export function parseFlywayName(fileName: string): FlywayName {
  const versioned = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/.exec(fileName);
  if (versioned) {
    const version = versioned[2].split(/[._]/);
    const description = versioned[3].replace(/_/g, ' ');
    return versioned[1] === 'V' ? { type: 'versioned', version, description } : { type: 'undo', version, description };
  }
  const repeatable = /^R__(.+)\.sql$/.exec(fileName);
  if (repeatable) return { type: 'repeatable', description: repeatable[1].replace(/_/g, ' ') };
  return { type: 'other' };
}

/** Compares versions part by part as numbers; missing trailing parts count as 0, so `1` equals `1.0` as in Flyway. */
export function compareVersions(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (d !== 0) return d;
  }
  return 0;
}

export interface MigrationFile {
  path: string;
  /** Dotted version, e.g. "1.1"; undefined for repeatable migrations and explicit non-Flyway files. */
  version?: string;
  description?: string;
  repeatable: boolean;
}

export interface OrderedMigrations {
  files: MigrationFile[];
  /** Files found in the folder that are not applied, with why (shown as warnings). */
  skipped: Array<{ path: string; reason: string; undo?: boolean }>;
}

/**
 * Orders the files of a migrations folder as Flyway would: versioned by version, then repeatable ones by
 * description. Undo files are ignored; any other `.sql` file is reported, not silently applied.
 */
export function orderFlywayFolder(folder: string, paths: string[], cwd = process.cwd()): OrderedMigrations {
  const versioned: Array<MigrationFile & { parts: string[] }> = [];
  const repeatable: MigrationFile[] = [];
  const skipped: OrderedMigrations['skipped'] = [];
  for (const path of paths) {
    const name = parseFlywayName(basename(path));
    if (name.type === 'versioned') {
      versioned.push({ path, version: name.version.join('.'), description: name.description, repeatable: false, parts: name.version });
    } else if (name.type === 'repeatable') {
      repeatable.push({ path, description: name.description, repeatable: true });
    } else if (name.type === 'undo') {
      skipped.push({ path, reason: 'undo migration (U…__), not applied', undo: true });
    } else {
      skipped.push({ path, reason: 'name does not follow V<version>__<description>.sql or R__<description>.sql; not applied' });
    }
  }
  versioned.sort((a, b) => compareVersions(a.parts, b.parts) || comparePaths(relative(folder, a.path), relative(folder, b.path)));
  for (let i = 1; i < versioned.length; i++) {
    if (compareVersions(versioned[i - 1].parts, versioned[i].parts) === 0) {
      throw new InputError(
        `duplicate migration version ${versioned[i].version}: ${displayPath(versioned[i - 1].path, cwd)} and ${displayPath(versioned[i].path, cwd)}; give one of them a new version`,
      );
    }
  }
  repeatable.sort((a, b) => compareNatural(a.description ?? '', b.description ?? ''));
  return { files: [...versioned.map(({ parts: _parts, ...file }) => file), ...repeatable], skipped };
}
