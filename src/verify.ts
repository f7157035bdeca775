import { analyzeInputs, mergeNeeds, type InputNeeds } from './apply/input-needs.js';
import { join } from 'node:path';
import { AUTH_SCHEMA, BUILTIN_ROLES, clusterRoles, preludeSql } from './apply/prelude.js';
import { buildSideCatalog, countStatements, type SideCache } from './build-side.js';
import { baseKey } from './cache/cache-keys.js';
import { CatalogCache } from './cache/catalog-cache.js';
import { CheckpointStore } from './cache/checkpoint-store.js';
import type { Catalog } from './catalog/catalog-object.js';
import { catalogQueriesFingerprint } from './catalog/introspect.js';
import { diffCatalogs } from './diff/diff-catalogs.js';
import { defaultCacheDir } from './engine/cache-dir.js';
import { engineProvider } from './engine/start-engine.js';
import { displayPath } from './inputs/display-path.js';
import { readSqlFile } from './inputs/read-sql-file.js';
import { redundantIndexFindings } from './rules/redundant-indexes/redundant-index-findings.js';
import { resolveInputs, type ResolvedInputs } from './inputs/resolve-inputs.js';
import { SqlApplyError } from './errors.js';
import type { Migration } from './inputs/formats/migration-format.js';
import type { VerifyOptions } from './options.js';
import { parseSqlFile, type ParsedFile } from './parse/parse-sql.js';
import type { Finding, Report } from './report/finding.js';
import { summarize } from './report/summarize.js';
import { annotateLocations } from './locations/annotate-locations.js';
import { SourceLocator } from './locations/source-locator.js';
import { listCheckedObjects, markIgnored } from './report/checked-objects.js';
import { applyIgnoreRules } from './report/ignore.js';
import { checkMigrationHistory } from './history/check-history.js';
import { checkReferenceOrder } from './inputs/reference-order.js';
import { trace } from './trace.js';
import { planLint, untracedNotes } from './rules/lint/lint-migrations.js';
import { LintSession } from './rules/lint/lint-session.js';
import { lintFinding } from './rules/lint/lint-findings.js';

/**
 * The whole check: discover and parse the inputs, apply the reference to one scratch database and
 * baseline + migrations to another, introspect both catalogs, diff them and build the report.
 * Throws VerifyError (exit code 2) when it cannot verify.
 */
export async function verifySchema(options: VerifyOptions): Promise<Report> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const inputs = await resolveInputs(
    { reference: options.reference, migrations: options.migrations, baseline: options.baseline, migrationFormat: options.migrationFormat },
    { cwd, env: options.env, placeholders: options.placeholders },
  );
  const [reference, baseline, migrations] = await Promise.all([
    parseAll(inputs.reference, cwd),
    parseAll(inputs.baseline, cwd),
    parseMigrations([...inputs.setup, ...inputs.migrations], cwd),
  ]);
  trace('parsed all files', started);
  const referenceNeeds = analyzeInputs(reference);
  const migrationNeeds = analyzeInputs([...baseline, ...migrations]);
  const allNeeds = mergeNeeds(referenceNeeds, migrationNeeds);
  // File checks need no database: they run while the engine starts.
  const fileChecks = Promise.all([
    checkMigrationHistory({ migrations: options.migrations, cwd, baseRef: options.baseRef, ci: options.ci, format: inputs.migrationFormat, files: [...new Set([...inputs.setup, ...inputs.migrations].map((m) => m.path).concat(inputs.unapplied.map((u) => u.path)))] }),
    checkReferenceOrder({ orderFile: options.orderFile, reference: inputs.reference, referenceRoots: options.reference, cwd, onDebug: options.onDebug }),
  ]);
  fileChecks.catch(() => undefined); // awaited below; this only keeps an early engine failure from leaving it unhandled
  // With a base revision, the migrations new since it are linted while they are applied (traced).
  const history = [...baseline, ...migrations];
  // Setup files a format runs before the migrations (graphile-migrate's afterReset) are not linted.
  const lintPlan = options.lint !== false ? await planLint(migrations.slice(inputs.setup.length), options.baseRef, true) : undefined;
  const lint = lintPlan?.linted.size ? new LintSession(lintPlan.linted, history) : undefined;

  const engines = engineProvider(options, cwd);
  // The cache keys name the engine: PGlite's is known without starting it; a server's once connected.
  // --keep-databases asks for the scratch databases themselves, so nothing comes from the cache.
  const caching = options.cache !== false && !options.keepDatabases;
  const knownInfo = caching ? (engines.knownInfo ?? (await engines.info())) : undefined;
  const excludeSchemas = allNeeds.usesAuth ? [AUTH_SCHEMA] : [];
  const introspect = { schemas: options.schemas, excludeSchemas, comments: options.comments, privileges: options.privileges };
  const extensions = [...allNeeds.extensions].sort();
  const cacheDir = options.cacheDir ?? defaultCacheDir(cwd);
  const cacheFor = (side: 'reference' | 'migrations', needs: InputNeeds): SideCache | undefined =>
    !knownInfo
      ? undefined
      : {
          catalogs: new CatalogCache(join(cacheDir, 'catalogs')),
          checkpoints: new CheckpointStore(join(cacheDir, 'checkpoints')),
          base: baseKey({
            side,
            engine: knownInfo,
            queries: catalogQueriesFingerprint(knownInfo.versionNum),
            // The prelude without the roles it makes: roles are made (when missing) on every start, also from
            // a checkpoint, so a migration that names a new role does not invalidate every checkpoint.
            prelude: preludeSql({ ...needs, referencedRoles: new Set(), createdRoles: new Set(), usesAuth: allNeeds.usesAuth }, BUILTIN_ROLES),
            extensions,
            introspect,
          }),
        };
  const progress = (side: 'reference' | 'migrations') => (f: ParsedFile, index: number, total: number) =>
    options.onProgress?.({ phase: 'apply', side, file: f.file.displayPath, index, total });
  try {
    const common = { roles: clusterRoles(allNeeds), usesAuth: allNeeds.usesAuth, extensions, introspect, engines, checkpointThresholdMs: options.checkpointThresholdMs, onNotice: options.onNotice };
    const referenceIsLargest = countStatements(reference) > countStatements(history);
    const [ref, mig] = await Promise.all([
      buildSideCatalog({ ...common, side: 'reference', files: reference, needs: referenceNeeds, cache: cacheFor('reference', referenceNeeds), onFile: progress('reference'), largest: referenceIsLargest }),
      buildSideCatalog({ ...common, side: 'migrations', files: history, needs: migrationNeeds, cache: cacheFor('migrations', migrationNeeds), onFile: progress('migrations'), largest: !referenceIsLargest, tracer: lint }).catch((error: unknown) => {
        throw blameUnapplied(error, inputs, cwd);
      }),
    ]);
    trace('both sides built');
    options.onProgress?.({ phase: 'introspect' });
    const located = annotateLocations(withoutToolTables(collectFindings(ref.catalog, mig.catalog, options), inputs.toolTables), new SourceLocator(reference, cwd), new SourceLocator([...baseline, ...migrations], cwd));
    trace('diffed and located');
    const hazards = lint ? (await lint.finish(mig.catalog, history, cwd)).map(({ code, hit }) => lintFinding(code, hit, cwd)) : [];
    const files = await fileChecks;
    trace('file checks done');
    const { findings, ignored } = finalizeFindings([...located, ...inputs.findings, ...files.flatMap((c) => c.findings), ...hazards], options);
    const info = await engines.info();
    return {
      version: 1,
      ok: passes(findings, options.failOn ?? 'error'),
      engine: { name: info.name, version: info.version },
      inputs: {
        reference: inputs.reference.map((p) => displayPath(p, cwd)),
        baseline: inputs.baseline.map((p) => displayPath(p, cwd)),
        // A file a format splits in parts (dbmate's several up blocks) is one input file.
        migrations: [...new Set(inputs.migrations.map((m) => displayPath(m.path, cwd)))],
        migrationFormat: inputs.migrationFormat,
      },
      findings,
      warnings: [...inputs.warnings, ...files.flatMap((c) => c.warnings), ...absentSchemas(options.schemas, ref.catalog, mig.catalog), ...untracedNotes(lint, cwd)],
      summary: summarizeWithIgnored(findings, ignored, performance.now() - started),
      checked: markIgnored([...listCheckedObjects(ref.catalog, mig.catalog), ...files.flatMap((c) => c.checked)], ignored),
      cache: { reference: ref.source, migrations: mig.source },
      ...(lintPlan ? { lint: { linted: migrations.filter((m) => lintPlan.linted.has(m)).map((m) => displayPath(m.file.path, cwd)), ...(lintPlan.baseRef ? { baseRef: lintPlan.baseRef } : {}) } } : {}),
    };
  } finally {
    await engines.close();
  }
}

/**
 * A migration that fails after one verify-schema could not run (a goose Go migration) most likely needs what
 * that one creates: the error names it, so the user is not left hunting for a missing table.
 */
function blameUnapplied(error: unknown, inputs: ResolvedInputs, cwd: string): unknown {
  if (!(error instanceof SqlApplyError) || inputs.unapplied.length === 0) return error;
  const failed = inputs.migrations.findIndex((m) => error.message.startsWith(`${displayPath(m.path, cwd)}:`));
  const before = inputs.unapplied.filter((u) => failed >= 0 && u.before <= failed);
  if (before.length === 0) return error;
  const names = before.map((u) => displayPath(u.path, cwd)).join(', ');
  return new SqlApplyError(
    `${error.message}; it runs after ${names}, which verify-schema cannot apply (${before[0].reason.replace(/,.*$/, '')}) and which probably creates what it needs — verify this history up to the Go migration only, or move that schema change into SQL`,
    { excerpt: error.excerpt, cause: error },
  );
}

/** The migration tool's own bookkeeping tables (dbmate's schema_migrations) are in its dumps but never in the migrations. */
function withoutToolTables(findings: Finding[], toolTables: string[]): Finding[] {
  if (toolTables.length === 0) return findings;
  return findings.filter((f) => !toolTables.some((t) => f.table === t || f.object === t || f.object.startsWith(`${t}.`)));
}

/** A schema asked for by --schema that neither side has: most likely a typo that would make the check compare nothing. */
function absentSchemas(wanted: string[] | undefined, ...catalogs: Catalog[]): string[] {
  return (wanted ?? [])
    .filter((schema) => !catalogs.some((c) => c.get('schema')?.has(schema)))
    .map((schema) => `schema ${schema} (from --schema or "schemas") exists on neither side, so nothing in it was compared; check the name`);
}

/** Every source of findings, in report order: catalog drift first, then rules. */
export function collectFindings(reference: Catalog, migrations: Catalog, options: VerifyOptions): Finding[] {
  return [
    ...diffCatalogs(reference, migrations, { strictColumnOrder: options.strictColumnOrder }),
    ...redundantIndexFindings({ reference, migrations }),
  ];
}

export async function parseAll(paths: string[], cwd: string): Promise<ParsedFile[]> {
  return Promise.all(paths.map(async (p) => parseSqlFile(await readSqlFile(p, cwd))));
}

/** Parses the SQL a format module says its tool runs (file lines kept), with how the tool runs each file. */
export async function parseMigrations(migrations: Migration[], cwd: string): Promise<ParsedFile[]> {
  return Promise.all(
    migrations.map(async (m) => ({
      ...(await parseSqlFile({ path: m.path, displayPath: displayPath(m.path, cwd), text: m.sql })),
      run: { transaction: m.transaction, ...(m.session?.length ? { session: m.session } : {}) },
    })),
  );
}

/**
 * What every entry point (normal run, --live, redundant-indexes --live) does to its findings before reporting:
 * drop the ones the ignore rules name, then apply the configured severities.
 */
export function finalizeFindings(findings: Finding[], options: VerifyOptions): { findings: Finding[]; ignored: Finding[] } {
  const { findings: kept, ignored } = applyIgnoreRules(findings, options.ignore);
  const overrides = options.severity ?? {};
  return { findings: kept.map((f) => (overrides[f.code] ? { ...f, severity: overrides[f.code] } : f)), ignored };
}

/** The report's summary, with the count of ignored findings when there are any. */
export function summarizeWithIgnored(findings: Finding[], ignored: Finding[], durationMs: number): Report['summary'] {
  return { ...summarize(findings, durationMs), ...(ignored.length ? { ignored: ignored.length } : {}) };
}

export function passes(findings: Finding[], failOn: 'error' | 'warning' | 'never'): boolean {
  if (failOn === 'never') return true;
  return !findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
}
