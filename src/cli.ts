import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import yargs from 'yargs';
import { installSignalCleanup, runAllCleanups } from './engine/cleanup.js';
import { maskSecrets } from './engine/connection-url.js';
import { InputError, VerifyError } from './errors.js';
import { loadConfig } from './inputs/config.js';
import { displayPath } from './inputs/display-path.js';
import { MIGRATION_FORMAT_NAMES } from './inputs/formats/migration-format.js';
import type { ProgressEvent, VerifyOptions } from './options.js';
import type { Report } from './report/finding.js';
import { colorWanted } from './report/colors.js';
import { formatMarkdown } from './report/format-markdown.js';
import { pairReportTargets, renderReport, REPORT_FORMATS, reportFlags } from './report/render-report.js';
import { checkRedundantIndexes, lintMigrations, verifyLive, verifySchema } from './run/pipelines.js';
import { EXIT_CANNOT_VERIFY, reportExitCode } from './report/build-report.js';
import { trace } from './trace.js';

export { EXIT_OK, EXIT_DRIFT, EXIT_CANNOT_VERIFY } from './report/build-report.js';

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Arguments → options → verifySchema → report → exit code. Everything else lives in the API. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }): Promise<number> {
  installSignalCleanup();
  const debug = argv.includes('--debug');
  try {
    const args = await parseArgs(argv);
    // yargs has printed the help or the version (it does not exit the process itself here): nothing to verify.
    if (args.help || args.version) return 0;
    const command = String(args._[0] ?? '');
    if (command === 'init') {
      const { initConfig } = await import('./inputs/init-config.js');
      const written = await initConfig({ cwd: io.cwd, env: io.env, force: args.force, reference: args.reference, migrations: args.migrations, baseline: args.baseline, migrationFormat: args['migration-format'] });
      io.stdout.write(`wrote ${displayPath(written.path, io.cwd)}: ${written.description}\n`);
      return 0;
    }
    const { config } = await loadConfig(args.config, io.cwd);
    // Inside GitHub Actions the default is annotations on the pull request.
    const targets = pairReportTargets(reportFlags(argv), config.format ?? (io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text'));
    const format = targets.find((t) => !t.output)?.format;
    const options: VerifyOptions = {
      reference: args.reference ?? config.reference ?? [],
      migrations: args.migrations ?? config.migrations ?? [],
      baseline: args.baseline ?? config.baseline ?? [],
      migrationFormat: args['migration-format'] ?? config.migrationFormat,
      placeholders: config.placeholders,
      includeCurrent: args['include-current'] ?? config.includeCurrent,
      env: io.env,
      strictColumnOrder: args['strict-column-order'] ?? config.strictColumnOrder ?? false,
      schemas: args.schema ?? config.schemas,
      comments: args.comments ?? config.comments ?? false,
      privileges: args.privileges ?? config.privileges ?? false,
      severity: config.severity,
      failOn: (args['fail-on'] as VerifyOptions['failOn']) ?? config.failOn ?? 'error',
      cacheDir: config.cacheDir,
      cache: args.cache ?? config.cache ?? true,
      ignore: config.ignore,
      databaseUrl: args['database-url'] ?? config.databaseUrl,
      keepDatabases: args['keep-databases'],
      live: args.live,
      onNotice: (message) => io.stderr.write(`verify-schema: ${maskSecrets(message)}\n`),
      baseRef: args['base-ref'] ?? config.baseRef ?? (io.env.GITHUB_ACTIONS === 'true' && io.env.GITHUB_BASE_REF ? `origin/${io.env.GITHUB_BASE_REF}` : undefined),
      ci: Boolean(io.env.CI && io.env.CI !== 'false'),
      orderFile: args['order-file'] ?? config.orderFile,
      lint: args.lint ?? config.lint ?? true,
      onDebug: debug ? (message) => io.stderr.write(`verify-schema: debug: ${maskSecrets(message)}\n`) : undefined,
      cwd: io.cwd,
      onProgress: format === 'text' && io.stderr.isTTY ? progressPrinter(io.stderr) : undefined,
    };
    const report = await runCommand(command, options);
    for (const t of targets) {
      const text = renderReport(report, t.format, { color: !t.output && colorWanted(io.stdout, io.env) });
      if (t.output) await writeReport(resolve(io.cwd, t.output), text);
      else io.stdout.write(text);
    }
    if (io.env.GITHUB_STEP_SUMMARY && targets.some((t) => t.format === 'github')) await appendFile(io.env.GITHUB_STEP_SUMMARY, formatMarkdown(report));
    trace('report written');
    return reportExitCode(report);
  } catch (error) {
    await runAllCleanups();
    // Passwords from connection URLs never reach the terminal, not even in --debug stack traces.
    io.stderr.write(maskSecrets(describeError(error, debug)));
    return EXIT_CANNOT_VERIFY;
  }
}

/** The command line's one decision: which configuration of the pipeline answers it. */
function runCommand(command: string, options: VerifyOptions): Promise<Report> {
  if (command === 'lint') {
    if (options.live) throw new InputError('lint applies migrations; --live cannot be combined with it');
    return lintMigrations(options);
  }
  if (command === 'redundant-indexes') return checkRedundantIndexes(options);
  return options.live ? verifyLive(options) : verifySchema(options);
}

async function writeReport(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new InputError(`cannot write the report to ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check --output`);
  }
}

async function parseArgs(argv: string[]) {
  return yargs(argv)
    .scriptName('verify-schema')
    .usage('$0 [options]\n\nChecks that the migrations, applied in order to an empty scratch Postgres, produce exactly the reference schema.')
    .command('redundant-indexes', 'List indexes another index or constraint already covers, on each side (same inputs and findings as the normal report)')
    .command('init', 'Write verify-schema.config.json for the migrations and reference found in this folder (never overwrites one without --force)')
    .command('lint', 'Lint the migrations new since --base-ref (all without a base): locks and rewrites traced in a scratch database, and other hazards')
    .option('reference', { type: 'string', array: true, describe: 'Reference schema: folders (every .sql below, in path order) or files' })
    .option('migrations', { type: 'string', array: true, describe: "Migrations: a folder in a migration tool's layout (Flyway, goose, …) or files applied in the order given" })
    .option('migration-format', { choices: MIGRATION_FORMAT_NAMES, describe: 'The migration tool whose layout the migrations follow (default: detected from the files)' })
    .option('include-current', { type: 'boolean', describe: "Also apply the uncommitted migration (graphile-migrate's current.sql)" })
    .option('baseline', { type: 'string', array: true, describe: 'Schema that existed before the first migration: files or folders' })
    .option('config', { type: 'string', describe: 'Config file (default: verify-schema.config.json or "verifySchema" in package.json)' })
    .option('format', { choices: REPORT_FORMATS, array: true, describe: 'Report format; repeat with --output for several (default: text, github in GitHub Actions)' })
    .option('output', { type: 'string', array: true, describe: 'Write the report of the --format just before it to this file instead of stdout' })
    .option('base-ref', { type: 'string', describe: 'Git revision to check the migration history against (default in GitHub Actions: origin/$GITHUB_BASE_REF)' })
    .option('order-file', { type: 'string', describe: 'The reference\'s setup order: a list of paths, a shell script, a Markdown file with one, a psql script or a Makefile (default: README.md, setup.sh or Makefile in or next to a reference folder)' })
    .option('strict-column-order', { type: 'boolean', describe: 'Report a different column order as drift' })
    .option('schema', { type: 'string', array: true, describe: 'Schemas to compare (default: every schema the SQL creates)' })
    .option('comments', { type: 'boolean', describe: 'Also compare comments (COMMENT ON …)' })
    .option('privileges', { type: 'boolean', describe: 'Also compare grants and owners (GRANT/REVOKE, OWNER TO)' })
    .option('fail-on', { choices: ['error', 'warning', 'never'] as const, describe: 'Exit 1 on findings of this severity or worse (default: error)' })
    .option('lint', { type: 'boolean', describe: 'Lint the migrations new since --base-ref as part of the check (default: true; --no-lint skips it)' })
    .option('cache', { type: 'boolean', describe: 'Reuse cached catalogs and migration checkpoints (--no-cache replays everything)' })
    .option('database-url', { type: 'string', describe: 'Postgres 13+ server for the scratch databases (default: $VERIFY_SCHEMA_DATABASE_URL, else embedded PGlite)' })
    .option('keep-databases', { type: 'boolean', describe: 'Keep the server scratch databases and print their names' })
    .option('live', { type: 'string', describe: 'Compare this running database (read only) with the reference; no migrations' })
    .option('force', { type: 'boolean', describe: 'init: overwrite an existing verify-schema.config.json' })
    .option('debug', { type: 'boolean', describe: 'Show stack traces of errors' })
    .strict()
    .help()
    .version()
    .epilogue('Exit codes: 0 no drift, 1 drift found, 2 could not verify.')
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new InputError(`${withoutCamelCaseEchoes(message)}; see verify-schema --help`);
    })
    .parseAsync();
}

/** yargs names an unknown --some-flag twice (some-flag, someFlag); once is enough. */
function withoutCamelCaseEchoes(message: string): string {
  const match = /^(Unknown arguments?): (.*)$/.exec(message);
  if (!match) return message;
  const names = match[2].split(', ');
  const kept = names.filter((n) => !/[A-Z]/.test(n) || !names.includes(n.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)));
  return `${kept.length === 1 ? 'Unknown argument' : 'Unknown arguments'}: ${kept.join(', ')}`;
}

function describeError(error: unknown, debug: boolean): string {
  if (error instanceof VerifyError) {
    const lines = [`verify-schema: error: ${error.message}`];
    if (error.excerpt) lines.push(error.excerpt);
    if (debug && error.stack) lines.push(error.stack, ...(error.cause instanceof Error && error.cause.stack ? [`caused by: ${error.cause.stack}`] : []));
    return `${lines.join('\n')}\n`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (debug) return `verify-schema: internal error: ${error instanceof Error ? error.stack : message}\n`;
  return `verify-schema: internal error: ${message} (run again with --debug for details, and please report it)\n`;
}

/**
 * One status line on a terminal's stderr for work longer than about a second: both sides' progress
 * (`reference 3/10 · migrations 120/201 V120__x.sql`), rewritten in place and cleared before the report.
 */
export function progressPrinter(stream: NodeJS.WritableStream, now: () => number = Date.now): (event: ProgressEvent) => void {
  const started = now();
  const sides = new Map<string, string>();
  let shown = false;
  return (event) => {
    if (event.phase === 'introspect') {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
      return;
    }
    if (event.phase !== 'apply') return;
    sides.set(event.side, `${event.side} ${event.index + 1}/${event.total} ${event.file}`);
    if (now() - started < 800) return;
    stream.write(`\r\u001b[2K${[...sides.values()].join(' · ')}`);
    shown = true;
  };
}
