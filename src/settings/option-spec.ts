import { InputError } from '../errors.js';

/** A JSON Schema fragment (draft-07), as the config schema shows it to editors. */
export type JsonSchema = Record<string, unknown>;

/** How a value is read from a config file: validated (errors name `path`) and, for paths, made absolute. */
export type ConfigCheck = (value: unknown, path: string) => unknown;

/**
 * What kind of value an option takes. It decides the yargs type, the config file's validation and the JSON
 * Schema at once, so the three can never disagree.
 */
export type OptionType =
  /** One or more paths; in the config a path or a list, relative to the config file. */
  | { kind: 'paths' }
  /** A list of names; in the config a name or a list. */
  | { kind: 'names' }
  | { kind: 'path' }
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'choice'; choices: readonly string[] }
  /** Config-file only values with their own shape (severity map, ignore rules, …). */
  | { kind: 'custom'; check: ConfigCheck; schema: () => JsonSchema; resolvePaths?: (value: unknown, resolvePath: (path: string) => string) => unknown };

/** One option, declared once: the flag, the config key, the environment variable, the default and the help. */
export interface OptionSpec {
  /** Its name in VerifyOptions and in the config file (camelCase). */
  key: string;
  type: OptionType;
  /** One line for --help. */
  help: string;
  /** The config schema's description, when it says more than --help (default: help). */
  configHelp?: string;
  /** The command-line flag (kebab-case); false: config file only. Default: the key in kebab-case. */
  flag?: string | false;
  /** false: command line only. */
  config?: boolean;
  /** The flag may be given several times (`--format json --format sarif`). */
  repeatable?: boolean;
  /** Environment variable read when neither the flag nor the config gives a value. */
  env?: string;
  /** The value when nothing gives one. */
  default?: unknown;
}

/** Declares options (checked for duplicate keys and flags when the table is assembled). */
export function defineOptions(specs: OptionSpec[]): OptionSpec[] {
  return specs;
}

export function flagOf(spec: OptionSpec): string | undefined {
  if (spec.flag === false) return undefined;
  return spec.flag ?? spec.key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);
}

/** Reads a config value of this option's type; errors name the key's path. */
export function checkConfigValue(spec: OptionSpec, value: unknown, path: string): unknown {
  const t = spec.type;
  switch (t.kind) {
    case 'paths':
    case 'names':
      if (typeof value === 'string') return [value];
      if (Array.isArray(value) && value.every((x) => typeof x === 'string')) return value;
      throw new InputError(`${path} must be a ${t.kind === 'paths' ? 'path' : 'name'} or a list of ${t.kind === 'paths' ? 'paths' : 'names'}`);
    case 'path':
    case 'string':
      if (typeof value === 'string') return value;
      throw new InputError(`${path} must be a string`);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw new InputError(`${path} must be true or false`);
    case 'choice':
      if (typeof value === 'string' && t.choices.includes(value)) return value;
      throw new InputError(`${path} must be one of ${t.choices.map((x) => JSON.stringify(x)).join(', ')}, not ${JSON.stringify(value)}`);
    case 'custom':
      return t.check(value, path);
  }
}

/** The JSON Schema of a config value of this option's type. */
export function configSchemaOf(spec: OptionSpec): JsonSchema {
  const t = spec.type;
  const description = spec.configHelp ?? spec.help;
  switch (t.kind) {
    case 'paths':
      return { $ref: '#/definitions/paths', description };
    case 'names':
      return { $ref: '#/definitions/names', description };
    case 'path':
    case 'string':
      return { type: 'string', description };
    case 'boolean':
      return { type: 'boolean', description };
    case 'choice':
      return { type: 'string', enum: [...t.choices], description };
    case 'custom':
      return { ...t.schema(), description };
  }
}
