import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { knownFindingCodes } from '../report/finding-codes.js';
import { displayPath } from './display-path.js';
import { MIGRATION_FORMAT_NAMES, type MigrationFormatName } from './formats/migration-format.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/render-report.js';
import { ignoreRules } from '../report/ignore-rules-config.js';
import type { IgnoreRule } from '../report/ignore.js';

/** The config file's shape (also shipped as schema/verify-schema.config.schema.json for editors). */
export interface ConfigFile {
  reference?: string[];
  migrations?: string[];
  baseline?: string[];
  /** The migration tool whose layout the migrations follow (detected when absent). */
  migrationFormat?: MigrationFormatName;
  /** Placeholder values for the migrations (Flyway `${name}`, graphile-migrate `:NAME`). */
  placeholders?: Record<string, string>;
  /** Also apply graphile-migrate's current.sql (--include-current). */
  includeCurrent?: boolean;
  strictColumnOrder?: boolean;
  schemas?: string[];
  comments?: boolean;
  privileges?: boolean;
  severity?: Record<string, 'error' | 'warning' | 'info'>;
  failOn?: 'error' | 'warning' | 'never';
  format?: ReportFormat;
  cacheDir?: string;
  cache?: boolean;
  /** Findings to drop (by kind, object glob, finding code). */
  ignore?: IgnoreRule[];
  /** Postgres server for the scratch databases (instead of the embedded engine). */
  databaseUrl?: string;
  /** Git revision for the migration-history checks. */
  baseRef?: string;
  /** Reference setup-order file (relative to the config file); false: none, not even one found next to the reference. */
  orderFile?: string | false;
  /** Lint the migrations new since baseRef as part of the check (default true). */
  lint?: boolean;
}

export interface LoadedConfig {
  config: ConfigFile;
  /** The file it came from, undefined when there is none. */
  path?: string;
}

type Check = (value: unknown, path: string) => unknown;

const stringList: Check = (v, path) => {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  throw new InputError(`${path} must be a path or a list of paths`);
};
const boolean: Check = (v, path) => {
  if (typeof v === 'boolean') return v;
  throw new InputError(`${path} must be true or false`);
};
const oneOf = (...values: string[]): Check => (v, path) => {
  if (typeof v === 'string' && values.includes(v)) return v;
  throw new InputError(`${path} must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}, not ${JSON.stringify(v)}`);
};
const string: Check = (v, path) => {
  if (typeof v === 'string') return v;
  throw new InputError(`${path} must be a string`);
};
const severityMap: Check = (v, path) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`${path} must be an object of finding code → "error" | "warning" | "info"`);
  const known = knownFindingCodes();
  for (const [code, s] of Object.entries(v)) {
    if (!known.includes(code)) throw new InputError(`${path}.${code}: unknown finding code; codes look like "column-changed", "index-extra", "index-duplicate" (see the README's JSON report section)`);
    oneOf('error', 'warning', 'info')(s, `${path}.${code}`);
  }
  return v;
};

const stringMap: Check = (v, path) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`${path} must be an object of name → text`);
  for (const [name, value] of Object.entries(v)) if (typeof value !== 'string') throw new InputError(`${path}.${name} must be a string`);
  return v;
};

const KEYS: Record<keyof ConfigFile, Check> = {
  reference: stringList,
  migrations: stringList,
  baseline: stringList,
  migrationFormat: oneOf(...MIGRATION_FORMAT_NAMES),
  placeholders: stringMap,
  includeCurrent: boolean,
  strictColumnOrder: boolean,
  schemas: stringList,
  comments: boolean,
  privileges: boolean,
  severity: severityMap,
  failOn: oneOf('error', 'warning', 'never'),
  format: oneOf(...REPORT_FORMATS),
  cacheDir: string,
  cache: boolean,
  ignore: ignoreRules,
  databaseUrl: string,
  baseRef: string,
  orderFile: (v, path) => {
    if (v === false || typeof v === 'string') return v;
    throw new InputError(`${path} must be a path, or false to check no setup order`);
  },
  lint: boolean,
};

/** Every key the validator accepts (kept equal to schema/verify-schema.config.schema.json by a test). */
export const KNOWN_CONFIG_KEYS = Object.keys(KEYS);

/** Paths in a config file are relative to the file, not to where the command runs. */
const PATH_KEYS = ['reference', 'migrations', 'baseline'] as const;

/**
 * Finds and validates the config: --config FILE, else verify-schema.config.json, else the "verifySchema" key
 * of package.json, in the working directory. Unknown keys and bad values name the key's path.
 */
export async function loadConfig(explicitPath: string | undefined, cwd = process.cwd()): Promise<LoadedConfig> {
  if (explicitPath) {
    const path = resolve(cwd, explicitPath);
    const raw = await readJson(path, true, cwd);
    return { config: validateConfig(raw, displayPath(path, cwd), dirname(path)), path };
  }
  const standalone = resolve(cwd, 'verify-schema.config.json');
  const raw = await readJson(standalone, false, cwd);
  if (raw !== undefined) return { config: validateConfig(raw, displayPath(standalone, cwd), cwd), path: standalone };
  const pkgPath = resolve(cwd, 'package.json');
  const pkg = (await readJson(pkgPath, false, cwd)) as Record<string, unknown> | undefined;
  if (pkg && typeof pkg === 'object' && 'verifySchema' in pkg) {
    return { config: validateConfig(pkg.verifySchema, `${displayPath(pkgPath, cwd)}: verifySchema`, cwd), path: pkgPath };
  }
  return { config: {} };
}

export function validateConfig(raw: unknown, where: string, baseDir: string): ConfigFile {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${where}: the config must be a JSON object`);
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === '$schema') continue;
    const check = KEYS[key as keyof ConfigFile];
    if (!check) throw new InputError(`${where}: unknown key "${key}"; known keys: ${Object.keys(KEYS).join(', ')}`);
    config[key] = check(value, `${where}: ${key}`);
  }
  for (const key of PATH_KEYS) {
    if (config[key]) config[key] = (config[key] as string[]).map((p) => resolve(baseDir, p));
  }
  if (typeof config.cacheDir === 'string') config.cacheDir = resolve(baseDir, config.cacheDir);
  if (typeof config.orderFile === 'string') config.orderFile = resolve(baseDir, config.orderFile);
  return config as ConfigFile;
}

async function readJson(path: string, required: boolean, cwd: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    if (required) throw new InputError(`config file ${displayPath(path, cwd)} does not exist`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${displayPath(path, cwd)}: invalid JSON: ${(error as Error).message}`);
  }
}
