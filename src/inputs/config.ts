import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { displayPath } from './display-path.js';
import type { MigrationFormatName } from './formats/migration-format.js';
import type { ReportFormat } from '../report/render-report.js';
import type { IgnoreRule } from '../report/ignore.js';
import { checkConfigValue } from '../settings/option-spec.js';
import { OPTION_TABLE } from '../settings/option-table.js';

/**
 * The config file's shape, as TypeScript sees it; which keys exist and how each is checked comes from the
 * option table (src/settings/option-table.ts), as does schema/verify-schema.config.schema.json.
 */
export interface ConfigFile {
  reference?: string[];
  migrations?: string[];
  baseline?: string[];
  /** The migration tool whose layout the migrations follow (detected when absent). */
  migrationFormat?: MigrationFormatName;
  /** Placeholder values for the migrations (Flyway `${name}`, graphile-migrate `:NAME`). */
  placeholders?: Record<string, string>;
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

/** Every key the validator accepts: the option table's config keys (the JSON Schema is generated from it too). */
export const KNOWN_CONFIG_KEYS = OPTION_TABLE.filter((o) => o.config !== false).map((o) => o.key);

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
  const resolvePath = (p: string) => resolve(baseDir, p);
  for (const [key, value] of Object.entries(raw)) {
    if (key === '$schema') continue;
    const spec = OPTION_TABLE.find((o) => o.key === key && o.config !== false);
    if (!spec) throw new InputError(`${where}: unknown key "${key}"; known keys: ${KNOWN_CONFIG_KEYS.join(', ')}`);
    const checked = checkConfigValue(spec, value, `${where}: ${key}`);
    // Paths in a config file are relative to the file, not to where the command runs.
    const t = spec.type;
    config[key] = t.kind === 'paths' ? (checked as string[]).map(resolvePath) : t.kind === 'path' ? resolvePath(checked as string) : t.kind === 'custom' && t.resolvePaths ? t.resolvePaths(checked, resolvePath) : checked;
  }
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
