import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { InputError } from '../../errors.js';
import { displayPath } from '../display-path.js';

/** What verify-schema takes from a Flyway configuration file. */
export interface FlywaySettings {
  /** The file it came from (absolute). */
  file: string;
  placeholders: Record<string, string>;
  /** `flyway.locations` as folders (absolute); `classpath:` locations mapped to Maven's src/main/resources. */
  locations?: string[];
  defaultSchema?: string;
  /** `flyway.schemas`: the schemas Flyway manages (and creates when missing, unless `flyway.createSchemas=false`). */
  schemas: string[];
  createSchemas: boolean;
  /** 1-based line of the file where the schemas are configured, so the schemas Flyway creates have a location. */
  schemasLine?: number;
  user?: string;
  table?: string;
  /** `flyway.placeholderReplacement=false` turns substitution off. */
  replacePlaceholders: boolean;
  prefix: string;
  suffix: string;
}

const FILE_NAMES = ['flyway.toml', 'flyway.conf'];

/**
 * The Flyway config file of a project: `flyway.toml` or `flyway.conf` (also in `conf/`), looked for in the given
 * folders in order (the working directory first, as the Flyway command line reads it, then the folders above
 * the migrations). The first found is used.
 */
export async function findFlywayConfig(folders: string[], env: Record<string, string | undefined>, cwd: string): Promise<FlywaySettings | undefined> {
  for (const folder of folders) {
    for (const name of FILE_NAMES) {
      for (const path of [join(folder, name), join(folder, 'conf', name)]) {
        const text = await readFile(path, 'utf8').catch(() => undefined);
        if (text === undefined) continue;
        return name.endsWith('.toml') ? fromToml(path, text, cwd) : fromConf(path, text, env, cwd);
      }
    }
  }
  return undefined;
}

/** The folders to look in for a Flyway config: the working directory, then each folder above the migrations up to it. */
export function flywayConfigFolders(cwd: string, migrationsFolder?: string): string[] {
  const folders = [cwd];
  // Up to the working directory or the repository's root, never into folders that are not the project's.
  for (let dir = migrationsFolder && dirname(migrationsFolder); dir && dir !== dirname(dir); dir = dirname(dir)) {
    if (!folders.includes(dir)) folders.push(dir);
    if (dir === cwd || existsSync(join(dir, '.git'))) break;
  }
  return folders;
}

/** Java properties as Flyway reads them: `key=value`, `#`/`!` comments, `\` continuations, `${ENV}` expanded. */
function fromConf(path: string, text: string, env: Record<string, string | undefined>, cwd: string): FlywaySettings {
  const values = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i].trim();
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) continue;
    values.set(m[1], m[2].replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => env[name] ?? whole));
  }
  const placeholders: Record<string, string> = {};
  for (const [key, value] of values) if (key.startsWith('flyway.placeholders.')) placeholders[key.slice('flyway.placeholders.'.length)] = value;
  const list = (key: string) => values.get(key)?.split(',').map((s) => s.trim()).filter(Boolean);
  return settings(path, cwd, {
    placeholders,
    locations: list('flyway.locations'),
    defaultSchema: values.get('flyway.defaultSchema') ?? list('flyway.schemas')?.[0],
    schemas: list('flyway.schemas') ?? [],
    createSchemas: values.get('flyway.createSchemas'),
    schemasLine: lineOf(text, /^\s*flyway\.(?:schemas|defaultSchema)\s*[=:]/m),
    user: values.get('flyway.user'),
    table: values.get('flyway.table'),
    replacement: values.get('flyway.placeholderReplacement'),
    prefix: values.get('flyway.placeholderPrefix'),
    suffix: values.get('flyway.placeholderSuffix'),
  });
}

/** Flyway 10's TOML: `[flyway]` (locations, defaultSchema, placeholders) and the `[environments.<name>]` it selects. */
function fromToml(path: string, text: string, cwd: string): FlywaySettings {
  let doc: Record<string, any>;
  try {
    doc = parseToml(text) as Record<string, any>;
  } catch (error) {
    throw new InputError(`${displayPath(path, cwd)}: not valid TOML (${(error as Error).message.split('\n')[0]}); fix the file or pass --migrations explicitly`);
  }
  const flyway = (doc.flyway ?? {}) as Record<string, any>;
  const environment = (doc.environments?.[flyway.environment ?? 'default'] ?? {}) as Record<string, any>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',').map((s) => s.trim()) : undefined);
  const placeholders: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...(flyway.placeholders ?? {}), ...(environment.flyway?.placeholders ?? {}) })) placeholders[k] = String(v);
  return settings(path, cwd, {
    placeholders,
    locations: strings(environment.flyway?.locations ?? flyway.locations),
    defaultSchema: flyway.defaultSchema ?? environment.schemas?.[0] ?? flyway.schemas?.[0],
    schemas: strings(environment.schemas ?? flyway.schemas) ?? [],
    createSchemas: flyway.createSchemas === undefined ? undefined : String(flyway.createSchemas),
    schemasLine: lineOf(text, /^\s*(?:schemas|defaultSchema)\s*=/m),
    user: environment.user ?? flyway.user,
    table: flyway.table,
    replacement: flyway.placeholderReplacement === undefined ? undefined : String(flyway.placeholderReplacement),
    prefix: flyway.placeholderPrefix,
    suffix: flyway.placeholderSuffix,
  });
}

function settings(
  path: string,
  cwd: string,
  read: {
    placeholders: Record<string, string>;
    locations?: string[];
    defaultSchema?: string;
    schemas: string[];
    createSchemas?: string;
    schemasLine?: number;
    user?: string;
    table?: string;
    replacement?: string;
    prefix?: string;
    suffix?: string;
  },
): FlywaySettings {
  const base = dirname(path).endsWith('/conf') || dirname(path).endsWith('\\conf') ? dirname(dirname(path)) : dirname(path);
  return {
    file: path,
    placeholders: read.placeholders,
    locations: read.locations?.map((l) => locationFolder(l, base, path, cwd)),
    defaultSchema: read.defaultSchema,
    schemas: read.schemas,
    createSchemas: read.createSchemas?.toLowerCase() !== 'false',
    schemasLine: read.schemasLine,
    user: read.user,
    table: read.table,
    replacePlaceholders: read.replacement?.toLowerCase() !== 'false',
    prefix: read.prefix ?? '${',
    suffix: read.suffix ?? '}',
  };
}

/** `filesystem:sql` → <project>/sql; `classpath:db/migration` → <project>/src/main/resources/db/migration (Maven's layout). */
function locationFolder(location: string, base: string, file: string, cwd: string): string {
  const m = /^(filesystem|classpath):(.*)$/.exec(location);
  const kind = m?.[1] ?? 'classpath';
  const rest = (m?.[2] ?? location).replace(/^\/+(?=.)/, kind === 'classpath' ? '' : '/');
  if (kind === 'filesystem') return resolve(base, rest);
  if (!rest) throw new InputError(`${displayPath(file, cwd)}: empty flyway.locations entry "${location}"`);
  return resolve(base, 'src', 'main', 'resources', rest);
}

function lineOf(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? text.slice(0, m.index).split(/\r\n|\r|\n/).length : undefined;
}
