import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { pathExists } from '../path-exists.js';
import { discoverProject, REFERENCE_PATHS } from './discover-project.js';
import type { MigrationFormatName } from './formats/migration-format.js';

export interface InitOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Overwrite an existing verify-schema.config.json. */
  force?: boolean;
  /** Paths given on the command line win over what discovery finds. */
  reference?: string[];
  migrations?: string[];
  baseline?: string[];
  migrationFormat?: MigrationFormatName;
}

export interface InitResult {
  path: string;
  config: Record<string, unknown>;
  /** One line: what was found and written. */
  description: string;
}

export const CONFIG_FILE_NAME = 'verify-schema.config.json';

/**
 * `verify-schema init`: writes verify-schema.config.json for the project found in the working directory (or the
 * paths given), so later runs and CI read the same inputs. Never overwrites an existing file unless `force`.
 */
export async function initConfig(options: InitOptions): Promise<InitResult> {
  const path = join(options.cwd, CONFIG_FILE_NAME);
  if (!options.force && (await pathExists(path))) {
    throw new InputError(`${CONFIG_FILE_NAME} already exists; it was left as it is — pass --force to overwrite it`);
  }
  const given = options.migrations?.length;
  const layout = given
    ? { migrations: options.migrations!.map((p) => relativeTo(options.cwd, p)), migrationFormat: options.migrationFormat, reference: undefined, baseline: undefined, description: `migrations ${options.migrations!.join(', ')}` }
    : await discoverProject(options.cwd, options.env);
  const reference = options.reference?.length ? options.reference.map((p) => relativeTo(options.cwd, p)) : layout.reference;
  if (!reference) {
    throw new InputError(`found ${layout.description}, but no reference schema: looked for ${REFERENCE_PATHS.join(', ')}; pass --reference PATH to verify-schema init`);
  }
  const baseline = options.baseline?.length ? options.baseline.map((p) => relativeTo(options.cwd, p)) : layout.baseline;
  const config: Record<string, unknown> = {
    $schema: './node_modules/verify-schema/schema/verify-schema.config.schema.json',
    reference,
    ...(baseline?.length ? { baseline } : {}),
    migrations: layout.migrations,
    ...(layout.migrationFormat ? { migrationFormat: layout.migrationFormat } : {}),
  };
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
  return { path, config, description: `${layout.description}${options.reference?.length || !layout.reference ? `, reference ${reference.join(', ')}` : ''}` };
}

function relativeTo(cwd: string, path: string): string {
  return relative(cwd, resolve(cwd, path)).split('\\').join('/') || '.';
}
