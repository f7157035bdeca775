import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import yargs, { type Options } from 'yargs';
import { installSignalCleanup, withCleanupScope } from './engine/cleanup.js';
import { maskSecrets } from './engine/connection-url.js';
import { DATABASE_URL_ENV } from './engine/engine-settings.js';
import { InputError, VerifyError } from './errors.js';
import { loadConfig, type ConfigFile } from './inputs/config.js';
import { FINDING_CODES } from './report/finding-codes.js';
import { flagOf, type OptionSpec } from './settings/option-spec.js';
import { OPTION_TABLE } from './settings/option-table.js';
import { displayPath } from './inputs/display-path.js';
import type { MigrationFormatName } from './inputs/formats/migration-format.js';
import type { ProgressEvent, VerifyOptions } from './options.js';
import type { Report } from './report/finding.js';
import { colorWanted } from './report/colors.js';
import { formatMarkdown } from './report/format-markdown.js';
import { pairReportTargets, renderReport, reportFlags, type ReportTarget } from './report/render-report.js';
import { checkRedundantIndexes, lintMigrations, verifyLive, verifySchema } from './run/pipelines.js';
import { EXIT_CANNOT_VERIFY, reportExitCode } from './report/build-report.js';
import { trace } from './trace.js';

export { EXIT_OK, EXIT_DRIFT, EXIT_CANNOT_VERIFY } from './report/build-report.js';

interface Io {
  stdout: TextStream;
  stderr: TextStream;
  cwd: string;
  env: Environment;
}

/**
 * Where the CLI writes: process.stdout/stderr or any writable stream. Declared here (not NodeJS.WritableStream)
 * so the package's type declarations compile without @types/node.
 */
export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Environment variables, as process.env holds them. */
export type Environment = Record<string, string | undefined>;

/** Arguments → options → verifySchema → report → exit code. Everything else lives in the API. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }): Promise<number> {
  installSignalCleanup();
  const debug = argv.includes('--debug');
  try {
    // A failed run undoes what it started, and only that: runs sharing the process (tests, the API) go on.
    return await withCleanupScope(() => runCli(argv, io, debug));
  } catch (error) {
    // Passwords from connection URLs never reach the terminal, not even in --debug stack traces.
    io.stderr.write(maskSecrets(describeError(error, debug)));
    return EXIT_CANNOT_VERIFY;
  }
}

type Args = Awaited<ReturnType<typeof parseArgs>>;

/** Parses the arguments and runs the command they name. */
async function runCli(argv: string[], io: Io, debug: boolean): Promise<number> {
  const args = await parseArgs(argv);
  // yargs has printed the help or the version (it does not exit the process itself here): nothing to verify.
  if (args.help || args.version) return 0;
  const command = String(args._[0] ?? '');
  if (command === 'init') return initCommand(args, io);
  const { config } = await loadConfig(args.config as string | undefined, io.cwd);
  if (command === 'cleanup') return cleanupCommand((args['database-url'] as string | undefined) ?? config.databaseUrl ?? io.env[DATABASE_URL_ENV], io);
  if (command === 'fix') return fixCommand(args, config, io, debug);
  // Inside GitHub Actions the default is annotations on the pull request.
  const targets = pairReportTargets(reportFlags(argv), config.format ?? (io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text'));
  const options = verifyOptions(args, config, io, { debug, format: targets.find((t) => !t.output)?.format });
  // The report is written as soon as it is ready; the cache writes still going on finish after it.
  let cacheWrites: Promise<void> | undefined;
  const report = await runCommand(command, { ...options, onCacheWrites: (written) => (cacheWrites = written) });
  await printReport(report, targets, io);
  await cacheWrites;
  trace('cache written');
  return reportExitCode(report);
}

/** `verify-schema init`: writes the config for the project found in the working directory. */
async function initCommand(args: Args, io: Io): Promise<number> {
  const { initConfig } = await import('./inputs/init-config.js');
  const written = await initConfig({ cwd: io.cwd, env: io.env, force: args.force as boolean | undefined, reference: args.reference as string[] | undefined, migrations: args.migrations as string[] | undefined, baseline: args.baseline as string[] | undefined, migrationFormat: args['migration-format'] as MigrationFormatName | undefined });
  io.stdout.write(`wrote ${displayPath(written.path, io.cwd)}: ${written.description}\n`);
  return 0;
}

/** `verify-schema fix` prints SQL, not a report: its --format and --output are the migration's (see runFixCommand). */
async function fixCommand(args: Args, config: ConfigFile, io: Io, debug: boolean): Promise<number> {
  const format = (args.format as string[] | undefined)?.at(-1) ?? 'text';
  const options = verifyOptions(args, config, io, { debug, format });
  const { runFixCommand } = await import('./fix/fix-command.js');
  return runFixCommand(
    { ...options, allowDataLoss: Boolean(args['allow-data-loss']), transactional: Boolean(args.transactional), referenceSide: Boolean(args['reference-side']) },
    { format: format === 'json' ? 'json' : 'text', output: (args.output as string[] | undefined)?.at(-1), write: Boolean(args.write) },
    io,
  );
}

/** The API's options: each option's flag, config value or default, and what the CLI's environment decides. */
function verifyOptions(args: Args, config: ConfigFile, io: Io, output: { debug: boolean; format?: string }): VerifyOptions {
  const given = optionValues(args, config);
  return {
    ...(given as Partial<VerifyOptions>),
    reference: (given.reference as string[] | undefined) ?? [],
    migrations: (given.migrations as string[] | undefined) ?? [],
    baseline: (given.baseline as string[] | undefined) ?? [],
    env: io.env,
    onNotice: (message) => io.stderr.write(`verify-schema: ${maskSecrets(message)}\n`),
    baseRef: (given.baseRef as string | undefined) ?? (io.env.GITHUB_ACTIONS === 'true' && io.env.GITHUB_BASE_REF ? `origin/${io.env.GITHUB_BASE_REF}` : undefined),
    ci: Boolean(io.env.CI && io.env.CI !== 'false'),
    onDebug: output.debug ? (message) => io.stderr.write(`verify-schema: debug: ${maskSecrets(message)}\n`) : undefined,
    cwd: io.cwd,
    // The progress line only where a person watches a text report being made.
    onProgress: output.format === 'text' && io.stderr.isTTY ? progressPrinter(io.stderr) : undefined,
  };
}

/** Writes the report in each format asked for (to its file, or stdout), and the job summary inside GitHub Actions. */
async function printReport(report: Report, targets: ReportTarget[], io: Io): Promise<void> {
  for (const t of targets) {
    const text = renderReport(report, t.format, { color: !t.output && colorWanted(io.stdout, io.env) });
    if (t.output) await writeReport(resolve(io.cwd, t.output), text);
    else io.stdout.write(text);
  }
  if (io.env.GITHUB_STEP_SUMMARY && targets.some((t) => t.format === 'github')) await appendFile(io.env.GITHUB_STEP_SUMMARY, formatMarkdown(report));
  trace('report written');
}

/** `verify-schema cleanup`: drops what verify-schema made on a server; the driver loads only when asked for. */
async function cleanupCommand(url: string | undefined, io: Io): Promise<number> {
  if (!url) throw new InputError(`cleanup needs the server: pass --database-url postgres://user:password@host:5432/postgres (or set ${DATABASE_URL_ENV})`);
  const [{ cleanupServer, describeCleanup }, { parseConnectionUrl }] = await Promise.all([import('./engine/server-leftovers.js'), import('./engine/connection-url.js')]);
  const result = await cleanupServer(parseConnectionUrl(url, '--database-url'));
  io.stdout.write(describeCleanup(result).map((line) => `${line}\n`).join(''));
  return 0;
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

/**
 * Each option's value: the flag, else the config file, else the table's default. The report flags (--format,
 * --output) and the CLI's own (--config, --debug) are read where they are used, not passed to the API.
 */
function optionValues(args: Record<string, unknown>, config: ConfigFile): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const o of OPTION_TABLE) {
    if (CLI_ONLY.has(o.key)) continue;
    const flag = flagOf(o);
    const value = (flag ? args[flag] : undefined) ?? (o.config !== false ? (config as Record<string, unknown>)[o.key] : undefined) ?? o.default;
    if (value !== undefined) values[o.key] = value;
  }
  return values;
}

const CLI_ONLY = new Set(['config', 'format', 'output', 'debug', 'force']);

async function parseArgs(argv: string[]) {
  let parser = yargs(argv)
    .scriptName('verify-schema')
    .usage('$0 [options]\n\nChecks that the migrations, applied in order to an empty scratch Postgres, produce exactly the reference schema.')
    .command('redundant-indexes', 'List indexes another index or constraint already covers, on each side (same inputs and findings as the normal report)')
    .command('init', 'Write verify-schema.config.json for the migrations and reference found in this folder (never overwrites one without --force)')
    .command('cleanup', 'Drop everything verify-schema made on the --database-url server as its role (scratch databases, checkpoints, roles), except what a run still going on this host uses')
    .command('lint', 'Lint the migrations new since --base-ref (all without a base): locks and rewrites traced in a scratch database, and other hazards')
    .command('fix', 'Print the migration that, applied after the migrations, produces the reference schema — proven by applying it and diffing again');
  for (const o of OPTION_TABLE) {
    const flag = flagOf(o);
    if (flag) parser = parser.option(flag, yargsOption(o));
  }
  return parser
    .strict()
    .help()
    .version()
    .epilogue(`Exit codes: 0 no drift, 1 drift found, 2 could not verify.\n\nFinding codes (default severity; set others with "severity" in the config):\n${codeList()}`)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new InputError(`${withoutCamelCaseEchoes(message)}; see verify-schema --help`);
    })
    .parseAsync();
}

function yargsOption(o: OptionSpec): Options {
  const t = o.type;
  const array = o.repeatable || t.kind === 'paths' || t.kind === 'names';
  if (t.kind === 'choice') return { choices: [...t.choices], describe: o.help, ...(array ? { array: true } : {}) };
  return { type: t.kind === 'boolean' ? 'boolean' : 'string', describe: o.help, ...(array ? { array: true } : {}) };
}

/** The finding codes for --help: drift codes per kind in one line, the others one per line with their title. */
function codeList(): string {
  const drift = FINDING_CODES.filter((c) => c.doc === 'docs/compared-objects.md');
  const kinds = [...new Set(drift.map((c) => c.code.replace(/-(missing|extra|changed|renamed)$/, '')))];
  const others = FINDING_CODES.filter((c) => !drift.includes(c)).map((c) => `  ${c.code} (${c.severity}): ${c.title}`);
  return [`  <kind>-missing|extra|changed|renamed (error), kinds: ${kinds.join(', ')}`, ...others].join('\n');
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
export function progressPrinter(stream: TextStream, now: () => number = Date.now): (event: ProgressEvent) => void {
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
