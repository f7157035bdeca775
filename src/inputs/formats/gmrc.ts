import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { pathExists } from '../../path-exists.js';
import { displayPath } from '../display-path.js';
import { parseJson5Lite } from './json5-lite.js';

/** The parts of graphile-migrate's settings that decide what its migrations do to a database. */
export interface GraphileSettings {
  /** The .gmrc file read (absolute), if any. */
  path?: string;
  /** Folder holding committed/, current.sql and the afterReset files (the `migrationsFolder` setting). */
  migrationsFolder: string;
  /** `:NAME` → value, from `placeholders` with `!ENV` resolved. */
  placeholders: Record<string, string>;
  /** The `databaseOwner` setting, else the user of `connectionString` / DATABASE_URL. */
  databaseOwner?: string;
  pgSettings: Record<string, string>;
  afterReset: AfterResetAction[];
}

export type AfterResetAction = { kind: 'sql'; file: string; root: boolean } | { kind: 'command'; command: string };

const CONFIG_NAMES = ['.gmrc', '.gmrc.js', '.gmrc.cjs', '.gmrc.mjs'];

/**
 * Where graphile-migrate's config is for a migrations folder: next to it (the tool's default is
 * `./migrations` beside `.gmrc`), or in it. Returns the first config file found.
 */
export async function findGmrc(migrationsFolder: string): Promise<string | undefined> {
  for (const dir of [dirname(migrationsFolder), migrationsFolder]) {
    for (const name of CONFIG_NAMES) if (await pathExists(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * Reads a .gmrc (JSON5) the way graphile-migrate's settings parser does for the settings that change the
 * database: placeholders (`!ENV` from the environment variable named like the placeholder without its colon),
 * pgSettings, afterReset, databaseOwner, migrationsFolder.
 */
export async function readGmrc(path: string, migrationsFolder: string, env: Record<string, string | undefined>, cwd: string): Promise<GraphileSettings> {
  const shown = displayPath(path, cwd);
  if (!path.endsWith('.gmrc')) {
    throw new InputError(
      `${shown}: graphile-migrate config written in JavaScript, which verify-schema does not run; put its settings in a JSON5 .gmrc next to it (placeholders, pgSettings, afterReset), or give placeholder values in verify-schema.config.json "placeholders"`,
    );
  }
  let raw: Record<string, unknown>;
  try {
    raw = parseJson5Lite(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`${shown}: not valid JSON5 (${(error as Error).message}); graphile-migrate would not read it either`, { cause: error });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${shown}: expected an object of settings`);
  const base = dirname(path);
  const folder = typeof raw.migrationsFolder === 'string' ? resolve(base, raw.migrationsFolder) : migrationsFolder;
  return {
    path,
    migrationsFolder: folder,
    placeholders: readPlaceholders(raw.placeholders, env, shown),
    databaseOwner: typeof raw.databaseOwner === 'string' ? raw.databaseOwner : urlUser(typeof raw.connectionString === 'string' ? raw.connectionString : env.DATABASE_URL),
    pgSettings: readPgSettings(raw.pgSettings, shown),
    afterReset: readActions(raw.afterReset, shown),
  };
}

function readPlaceholders(value: unknown, env: Record<string, string | undefined>, shown: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${shown}: "placeholders" must be an object`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!/^:[A-Z][0-9A-Z_]+$/.test(key)) throw new InputError(`${shown}: placeholder "${key}" must look like :ABCD_EFG (a colon, then capital letters, digits and _), as graphile-migrate requires`);
    if (typeof v !== 'string') throw new InputError(`${shown}: placeholder ${key} must be a string`);
    if (v === '!ENV') {
      const name = key.slice(1);
      const fromEnv = env[name];
      if (!fromEnv) throw new InputError(`${shown}: placeholder ${key} is "!ENV" but the environment variable ${name} is not set; set it (as for graphile-migrate), or give the value in verify-schema.config.json "placeholders"`);
      out[key] = fromEnv;
    } else out[key] = v;
  }
  return out;
}

function readPgSettings(value: unknown, shown: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${shown}: "pgSettings" must be an object`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number') throw new InputError(`${shown}: pgSettings.${key} must be a string`);
    out[key] = String(v);
  }
  return out;
}

function readActions(value: unknown, shown: string): AfterResetAction[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: AfterResetAction[] = [];
  for (const item of list) {
    // `!file.sql` runs the file as the root (superuser) role; the scratch database's role is one already.
    if (typeof item === 'string') out.push(item.startsWith('!') ? { kind: 'sql', file: item.slice(1), root: true } : { kind: 'sql', file: item, root: false });
    else if (item && typeof item === 'object' && (item as { _?: string })._ === 'sql' && typeof (item as { file?: unknown }).file === 'string') {
      const action = item as { file: string; root?: boolean; shadow?: boolean };
      // Actions marked for the shadow database only do not run on a normal reset.
      if (action.shadow !== true) out.push({ kind: 'sql', file: action.file, root: action.root === true });
    } else if (item && typeof item === 'object' && ((item as { _?: string })._ === 'command' || (!(item as { _?: string })._ && typeof (item as { command?: unknown }).command === 'string'))) {
      const action = item as { command?: string; shadow?: boolean };
      if (action.shadow !== true) out.push({ kind: 'command', command: String(action.command ?? '') });
    } else throw new InputError(`${shown}: an afterReset entry must be a file name, { "_": "sql", "file": … } or { "_": "command", "command": … }`);
  }
  return out;
}

function urlUser(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const user = decodeURIComponent(new URL(url).username);
    return user || undefined;
  } catch {
    return undefined;
  }
}
