import { CACHE_DIR_ENV, DATABASE_URL_ENV } from '../engine/engine-settings.js';
import { InputError } from '../errors.js';
import { MIGRATION_FORMAT_NAMES } from '../inputs/formats/migration-format.js';
import { knownFindingCodes } from '../report/finding-codes.js';
import { IGNORE_KINDS, ignoreRules } from '../report/ignore-rules-config.js';
import { REPORT_FORMATS } from '../report/render-report.js';
import { defineOptions, flagOf, type OptionSpec } from './option-spec.js';

const SEVERITIES = ['error', 'warning', 'info'] as const;

/** The options of the check itself, in --help order. */
const CHECK_OPTIONS = defineOptions([
  { key: 'reference', type: { kind: 'paths' }, help: 'Reference schema: folders (every .sql below, in path order) or files', configHelp: 'Reference schema: folders (every .sql below, in path order) or files.' },
  {
    key: 'migrations',
    type: { kind: 'paths' },
    help: "Migrations: a folder in a migration tool's layout (Flyway, goose, …) or files applied in the order given",
    configHelp: "Migrations: a folder in a migration tool's layout (Flyway, goose, …) or files applied in the order given.",
  },
  {
    key: 'migrationFormat',
    type: { kind: 'choice', choices: MIGRATION_FORMAT_NAMES },
    help: 'The migration tool whose layout the migrations follow (default: detected from the files)',
    configHelp: 'The migration tool whose layout the migrations follow; detected from the files when absent.',
  },
  { key: 'baseline', type: { kind: 'paths' }, help: 'Schema that existed before the first migration: files or folders', configHelp: 'Schema that existed before the first migration: files or folders.' },
  {
    key: 'placeholders',
    flag: false,
    type: {
      kind: 'custom',
      check: (v, path) => {
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`${path} must be an object of name → text`);
        for (const [name, value] of Object.entries(v)) if (typeof value !== 'string') throw new InputError(`${path}.${name} must be a string`);
        return v;
      },
      schema: () => ({ type: 'object', additionalProperties: { type: 'string' } }),
    },
    help: "Placeholder values for the migrations (Flyway ${name}); they win over the tool's own config files.",
  },
  { key: 'includeCurrent', type: { kind: 'boolean' }, help: "Also apply the uncommitted migration (graphile-migrate's current.sql)", configHelp: "Also apply the uncommitted migration (graphile-migrate's current.sql)." },
  { key: 'config', config: false, type: { kind: 'path' }, help: 'Config file (default: verify-schema.config.json or "verifySchema" in package.json)' },
  {
    key: 'format',
    repeatable: true,
    type: { kind: 'choice', choices: REPORT_FORMATS },
    help: 'Report format; repeat with --output for several (default: text, github in GitHub Actions)',
    configHelp: 'Default report format (default: text; github inside GitHub Actions).',
  },
  { key: 'output', config: false, repeatable: true, type: { kind: 'path' }, help: 'Write the report of the --format just before it to this file instead of stdout' },
  {
    key: 'baseRef',
    type: { kind: 'string' },
    help: 'Git revision to check the migration history against (default in GitHub Actions: origin/$GITHUB_BASE_REF)',
    configHelp: 'Git revision to check the migration history against (e.g. origin/main).',
  },
  {
    key: 'orderFile',
    type: {
      kind: 'custom',
      check: (v, path) => {
        if (v === false || typeof v === 'string') return v;
        throw new InputError(`${path} must be a path, or false to check no setup order`);
      },
      schema: () => ({ type: ['string', 'boolean'], not: { const: true } }),
      resolvePaths: (v, resolvePath) => (typeof v === 'string' ? resolvePath(v) : v),
    },
    help: "The reference's setup order: a list of paths, a shell script, a Markdown file with one, a psql script or a Makefile (default: README.md, setup.sh or Makefile in or next to a reference folder)",
    configHelp:
      "The reference's setup order: a list of paths (one per line, relative to it), a shell script (psql -f, bash arrays and loops), a Markdown file (its shell/SQL code blocks), a psql script of \\i lines or a Makefile. Default: a setup script found in or next to a reference folder (README.md, setup.sh, Makefile); false turns this off.",
  },
  { key: 'strictColumnOrder', type: { kind: 'boolean' }, default: false, help: 'Report a different column order as drift', configHelp: 'Report a different column order as drift.' },
  { key: 'schemas', flag: 'schema', repeatable: true, type: { kind: 'names' }, help: 'Schemas to compare (default: every schema the SQL creates)', configHelp: 'Schemas to compare (default: every schema the SQL creates).' },
  { key: 'comments', type: { kind: 'boolean' }, default: false, help: 'Also compare comments (COMMENT ON …)', configHelp: 'Also compare comments on tables, columns, functions, … (as --comments).' },
  { key: 'privileges', type: { kind: 'boolean' }, default: false, help: 'Also compare grants and owners (GRANT/REVOKE, OWNER TO)', configHelp: 'Also compare grants and owners (as --privileges).' },
  {
    key: 'severity',
    flag: false,
    type: {
      kind: 'custom',
      check: (v, path) => {
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InputError(`${path} must be an object of finding code → "error" | "warning" | "info"`);
        const known = knownFindingCodes();
        for (const [code, s] of Object.entries(v)) {
          if (!known.includes(code)) throw new InputError(`${path}.${code}: unknown finding code; codes look like "column-changed", "index-extra", "index-duplicate" (see the README's JSON report section)`);
          if (typeof s !== 'string' || !(SEVERITIES as readonly string[]).includes(s)) throw new InputError(`${path}.${code} must be one of ${SEVERITIES.map((x) => JSON.stringify(x)).join(', ')}, not ${JSON.stringify(s)}`);
        }
        return v;
      },
      schema: () => ({ type: 'object', additionalProperties: { $ref: '#/definitions/severity' } }),
    },
    help: 'Severity per finding code, e.g. {"index-extra": "warning"}.',
  },
  {
    key: 'failOn',
    type: { kind: 'choice', choices: ['error', 'warning', 'never'] },
    default: 'error',
    help: 'Exit 1 on findings of this severity or worse (default: error)',
    configHelp: 'Exit 1 on findings of this severity or worse (default: error).',
  },
  {
    key: 'lint',
    type: { kind: 'boolean' },
    default: true,
    help: 'Lint the migrations new since --base-ref as part of the check (default: true; --no-lint skips it)',
    configHelp: 'With a base revision (baseRef), the check also lints the migrations new since it (as verify-schema lint); false skips that (as --no-lint). Default true.',
  },
  {
    key: 'ignore',
    flag: false,
    type: {
      kind: 'custom',
      check: ignoreRules,
      schema: () => ({
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          anyOf: [{ required: ['kind'] }, { required: ['object'] }, { required: ['code'] }],
          properties: {
            kind: { type: 'string', minLength: 1, description: `Object kind: ${IGNORE_KINDS.join(', ')}.` },
            object: { type: 'string', minLength: 1, description: 'Schema-qualified object, e.g. public.legacy_* or public.users.tmp_*.' },
            code: { type: 'string', minLength: 1, description: 'Finding code, e.g. index-extra or column-*.' },
            reason: { type: 'string', minLength: 1, description: 'Why it is ignored (for the next reader).' },
          },
        },
      }),
    },
    help: 'Findings to drop. A rule matches when every field it gives matches; fields are globs (* any characters, ? one).',
  },
  { key: 'cache', type: { kind: 'boolean' }, default: true, help: 'Reuse cached catalogs and migration checkpoints (--no-cache replays everything)', configHelp: 'false = replay everything: no cached catalogs or migration checkpoints (as --no-cache).' },
  {
    key: 'cacheDir',
    flag: false,
    type: { kind: 'path' },
    env: CACHE_DIR_ENV,
    help: 'Where the embedded engine keeps its initialised data directory.',
  },
  {
    key: 'databaseUrl',
    type: { kind: 'string' },
    env: DATABASE_URL_ENV,
    help: 'Postgres 13+ server for the scratch databases (default: $VERIFY_SCHEMA_DATABASE_URL, else embedded PGlite)',
    configHelp: 'Postgres server to create the scratch databases on, instead of the embedded engine.',
  },
  { key: 'keepDatabases', config: false, type: { kind: 'boolean' }, help: 'Keep the server scratch databases and print their names' },
  { key: 'live', config: false, type: { kind: 'string' }, help: 'Compare this running database (read only) with the reference; no migrations' },
  { key: 'force', config: false, type: { kind: 'boolean' }, help: 'init: overwrite an existing verify-schema.config.json' },
  { key: 'allowDataLoss', config: false, type: { kind: 'boolean' }, help: 'fix: include statements that can lose data (DROP TABLE/COLUMN, lossy type changes, enum labels dropped)' },
  { key: 'transactional', config: false, type: { kind: 'boolean' }, help: 'fix: plain forms in one transaction instead of CONCURRENTLY and NOT VALID + VALIDATE' },
  { key: 'referenceSide', config: false, type: { kind: 'boolean' }, help: 'fix: the DDL to add to the reference for what only the migrations make, grouped by reference folder' },
  { key: 'write', config: false, type: { kind: 'boolean' }, help: 'fix: save the migration as the next one in the migrations folder and print its path' },
  { key: 'debug', config: false, type: { kind: 'boolean' }, help: 'Show stack traces of errors' },
]);

/**
 * Every option, declared once: yargs (src/cli.ts), the config file's validation (src/inputs/config.ts) and
 * schema/verify-schema.config.schema.json (a test fails when it is stale) are generated from this table.
 * Another feature's options: declare them with defineOptions in its own file and add them here in one line.
 */
export const OPTION_TABLE: readonly OptionSpec[] = [...CHECK_OPTIONS];

const seen = new Set<string>();
for (const o of OPTION_TABLE) {
  for (const name of [`key ${o.key}`, ...(flagOf(o) ? [`flag ${flagOf(o)}`] : [])]) {
    if (seen.has(name)) throw new Error(`option ${name} is declared twice`);
    seen.add(name);
  }
}

export function optionSpec(key: string): OptionSpec {
  const spec = OPTION_TABLE.find((o) => o.key === key);
  if (!spec) throw new Error(`no option ${key}`);
  return spec;
}
