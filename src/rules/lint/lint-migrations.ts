import { analyzeInputs } from '../../apply/input-needs.js';
import { AUTH_SCHEMA, clusterRoles } from '../../apply/prelude.js';
import { buildSideCatalog } from '../../build-side.js';
import { engineProvider } from '../../engine/start-engine.js';
import { changedMigrations } from '../../history/changed-migrations.js';
import { displayPath } from '../../inputs/display-path.js';
import { resolveInputs } from '../../inputs/resolve-inputs.js';
import type { VerifyOptions } from '../../options.js';
import type { ParsedFile } from '../../parse/parse-sql.js';
import type { Finding, Report } from '../../report/finding.js';
import { trace } from '../../trace.js';
import { finalizeFindings, parseAll, parseMigrations, passes, summarizeWithIgnored } from '../../verify.js';
import { lintFinding } from './lint-findings.js';
import { LintSession } from './lint-session.js';

export interface LintPlan {
  /** The migrations to lint. */
  linted: Set<ParsedFile>;
  /** The base they are new against; undefined: every migration. */
  baseRef?: string;
  warnings: string[];
}

/**
 * Which migrations to lint: those new or changed since the base revision (a pull request's own), or every
 * migration when there is no base. `required`: the check's lint step lints only against a known base.
 */
export async function planLint(migrations: ParsedFile[], baseRef: string | undefined, required: boolean): Promise<LintPlan | undefined> {
  if (!baseRef) return required ? undefined : { linted: new Set(migrations), warnings: ['lint: no --base-ref, so every migration was linted (pass --base-ref REV to lint only the migrations new since REV)'] };
  const changed = await changedMigrations(migrations.map((m) => m.file.path), baseRef);
  if ('skipped' in changed) {
    if (required) return undefined;
    return { linted: new Set(migrations), warnings: [`lint: cannot tell which migrations are new since ${baseRef} (${changed.skipped}), so every migration was linted`] };
  }
  return { linted: new Set(migrations.filter((m) => changed.changed.has(m.file.path))), baseRef, warnings: [] };
}

/**
 * `verify-schema lint`: applies baseline and migrations to a scratch database, tracing the linted migrations
 * statement by statement (locks taken, tables rewritten), and reports their hazards. No reference is needed.
 */
export async function lintMigrations(options: VerifyOptions): Promise<Report> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const inputs = await resolveInputs(
    { reference: [], migrations: options.migrations, baseline: options.baseline, migrationFormat: options.migrationFormat },
    { cwd, env: options.env, placeholders: options.placeholders, referenceOptional: true },
  );
  const [baseline, setup, migrations] = await Promise.all([parseAll(inputs.baseline, cwd), parseMigrations(inputs.setup, cwd), parseMigrations(inputs.migrations, cwd)]);
  const plan = (await planLint(migrations, options.baseRef, false))!;
  const history = [...baseline, ...setup, ...migrations];
  const needs = analyzeInputs(history);
  const engines = engineProvider(options, cwd);
  try {
    const session = plan.linted.size ? new LintSession(plan.linted, history) : undefined;
    const { catalog } = await buildSideCatalog({
      side: 'migrations',
      files: history,
      needs,
      roles: clusterRoles(needs),
      usesAuth: needs.usesAuth,
      extensions: [...needs.extensions].sort(),
      introspect: { schemas: options.schemas, excludeSchemas: needs.usesAuth ? [AUTH_SCHEMA] : [] },
      engines,
      tracer: session,
      onFile: (f, index, total) => options.onProgress?.({ phase: 'apply', side: 'migrations', file: f.file.displayPath, index, total }),
    });
    options.onProgress?.({ phase: 'introspect' });
    const found: Finding[] = session ? (await session.finish(catalog, history, cwd)).map(({ code, hit }) => lintFinding(code, hit, cwd)) : [];
    trace('lint done');
    const { findings, ignored } = finalizeFindings([...inputs.findings, ...found], options);
    const info = await engines.info();
    const linted = migrations.filter((m) => plan.linted.has(m)).map((m) => displayPath(m.file.path, cwd));
    return {
      version: 1,
      ok: passes(findings, options.failOn ?? 'error'),
      engine: { name: info.name, version: info.version },
      inputs: { reference: [], baseline: inputs.baseline.map((p) => displayPath(p, cwd)), migrations: inputs.migrations.map((m) => displayPath(m.path, cwd)), migrationFormat: inputs.migrationFormat },
      findings,
      warnings: [...inputs.warnings, ...plan.warnings, ...untracedNotes(session, cwd)],
      summary: summarizeWithIgnored(findings, ignored, performance.now() - started),
      checked: linted.map((file) => ({ kind: 'migration' as const, object: file, ...(ignored.some((f) => f.migrationLocation?.file === file) ? { ignored: true } : {}) })),
      lint: { linted, ...(plan.baseRef ? { baseRef: plan.baseRef } : {}), command: true },
    };
  } finally {
    await engines.close();
  }
}

/** One note per linted file that could not be traced: its findings come from the statement text. */
export function untracedNotes(session: LintSession | undefined, cwd: string): string[] {
  return [...(session?.untracedFiles ?? new Map<ParsedFile, string>())].map(
    ([file, why]) => `lint: ${displayPath(file.file.path, cwd)} was not traced (${why}); its findings are judged from the statement text (traced: false)`,
  );
}
