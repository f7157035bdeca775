import { basename, join } from 'node:path';
import { applyMigrations, applyReference, resetSession } from '../apply/apply-statements.js';
import { introspectCatalog } from '../catalog/introspect.js';
import type { ScratchDatabase } from '../engine/scratch-database.js';
import type { Catalog, CatalogObject } from '../catalog/catalog-object.js';
import { isPlatformObject, platformObjects } from '../platforms/platform.js';
import { diffCatalogs } from '../diff/diff-catalogs.js';
import { resolveEngineSettings } from '../engine/engine-settings.js';
import { engineProvider } from '../engine/start-engine.js';
import { VerifyError } from '../errors.js';
import { displayPath } from '../inputs/display-path.js';
import type { VerifyOptions } from '../options.js';
import { parseSqlFile, type ParsedFile } from '../parse/parse-sql.js';
import type { Finding } from '../report/finding.js';
import { applyIgnoreRules } from '../report/ignore.js';
import { lintFinding } from '../rules/lint/lint-findings.js';
import { LintSession } from '../rules/lint/lint-session.js';
import { resolveRunInputs } from '../run/resolve-run-inputs.js';
import { buildScratchSides, planScratchSides, type ScratchPlan, type ScratchSidesRequest } from '../run/sides/scratch-sides.js';
import type { UnsupportedChange } from './fix-statement.js';
import { planFix, type FixPlan, type FixPlanOptions } from './plan-fix.js';
import { referenceFolders, type ReferenceGroup } from './reference-folders.js';
import { renderFixSql, renderReferenceSql } from './render-fix-sql.js';

export interface FixOptions extends VerifyOptions, FixPlanOptions {
  /** The other direction: DDL to add to the reference for what only the migrations make, proven on the reference side. */
  referenceSide?: boolean;
  /**
   * The fix is saved as the tool's next migration (--write), so it is proven where the tool runs that file:
   * Flyway runs repeatable migrations (R__) after every versioned one, also after a new versioned one.
   */
  asNextMigration?: boolean;
}

export type FixStatus = 'nothing-to-fix' | 'proven' | 'not-proven';

/** What `verify-schema fix` found, generated and proved (its JSON output). */
export interface FixResult {
  version: 1;
  /** Proven (or nothing to fix), and nothing withheld or unsupported: exit 0. */
  ok: boolean;
  status: FixStatus;
  /** The migration's text, header comments included; empty when there is nothing to fix. */
  sql: string;
  /** The side the SQL is for: `migrations` (the reconcile migration) or `reference` (--reference-side). */
  side: 'migrations' | 'reference';
  statements: Array<{ sql: string; kind: string; object: string; action: string; concurrent?: boolean }>;
  /** --reference-side: the statements grouped by the reference folder each object belongs in. */
  groups?: ReferenceGroup[];
  /** Statements left out because they can lose data (without --allow-data-loss), or because they wait for one that is. */
  withheld: Array<{ sql: string; kind: string; object: string; reason: string }>;
  /** Differences no SQL was generated for. */
  unsupported: UnsupportedChange[];
  /** The file must run outside a transaction block (it builds or drops indexes CONCURRENTLY). */
  outsideTransaction: boolean;
  proof: {
    /** The migration was applied after the migrations without error. */
    applied: boolean;
    /** Why applying it failed. */
    error?: string;
    /** Drift between the reference and the migrations + this fix: none when proven. */
    remaining: Finding[];
    /** What the migration-safety lint rules found in the fix, traced as it was applied. */
    lint?: Finding[];
    /** Flyway's repeatable migrations the fix was applied before, as Flyway runs its next versioned migration. */
    beforeRepeatables?: string[];
  };
  engine: { name: string; version: string };
  inputs: { reference: string[]; baseline: string[]; migrations: string[]; migrationFormat: string };
  durationMs: number;
  /** Where --write or --output saved the migration. */
  written?: string;
}

const GENERATED_FILE = 'generated fix';

/**
 * The reconcile migration: applies both sides as the check does (the pipeline's scratch sides, with what
 * depends on what read from pg_depend), plans the SQL that turns the migrations' schema into the
 * reference's, then proves it: the generated file is applied as one more migration on the migrations side's
 * scratch database, read back and diffed with the reference (see proveFix). Throws VerifyError (exit 2) when
 * the inputs cannot be verified.
 */
export async function fixSchema(options: FixOptions): Promise<FixResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const inputs = await resolveRunInputs({ reference: true, migrations: true }, options, cwd);
  const history = [...inputs.parsed.baseline, ...inputs.parsed.setup, ...inputs.parsed.migrations];
  const engineSettings = resolveEngineSettings(options, cwd);
  const engines = engineProvider(engineSettings);
  let open: ScratchDatabase | undefined;
  try {
    const toReference = options.referenceSide === true;
    // The side the fix is proven on stays open: the proof applies the fix there (see proveFix).
    const request: ScratchSidesRequest = {
      sides: [
        { name: 'reference', files: inputs.parsed.reference, keepOpen: toReference },
        { name: 'migrations', files: history, keepOpen: !toReference },
      ],
      engines,
      options,
      cwd,
      cache: true,
      cacheDir: engineSettings.cacheDir,
      platform: inputs.platform,
    };
    const planned = planScratchSides(request);
    const plan: ScratchPlan = { ...planned, introspect: { ...planned.introspect, dependencies: true } };
    const [ref, mig] = await buildScratchSides(request, plan);
    open = (toReference ? ref : mig).db;
    // The platform's own objects are on both sides only because its stand-in made them: never planned or reported.
    const platformKeys = inputs.platform ? await platformObjects(inputs.platform) : new Set<string>();
    const ignoreObject = (o: CatalogObject) => isPlatformObject(platformKeys, { kind: o.kind, object: o.key });
    // The reference side: what only the migrations make, created in plain forms, nothing dropped or changed.
    const fix = toReference
      ? planFix(mig.catalog, ref.catalog, { ...options, transactional: true, onlyCreate: true, ignoreTables: inputs.toolTables, ignoreObject })
      : planFix(ref.catalog, mig.catalog, { ...options, transactional: options.transactional || oneQueryString(inputs.migrationFormat), ignoreTables: inputs.toolTables, ignoreObject });
    const info = await engines.info();
    const engine = `${info.name} ${info.version}`;
    const drift = (reference: Catalog, migrations: Catalog) =>
      applyIgnoreRules(
        diffCatalogs(reference, migrations, { strictColumnOrder: options.strictColumnOrder }).filter((f) => !inputs.toolTables.some((t) => f.table === t || f.object === t || f.object.startsWith(`${t}.`)) && !isPlatformObject(platformKeys, f)),
        options.ignore,
      ).findings;
    // Proven: the migrations plus the fix have no drift left; the reference plus its additions lacks nothing the migrations make.
    const remainingOf = (catalog: Catalog) => (toReference ? drift(catalog, mig.catalog).filter((f) => f.change === 'extra') : drift(ref.catalog, catalog));
    const base = {
      version: 1 as const,
      engine: { name: info.name, version: info.version },
      inputs: {
        reference: inputs.reference.map((p) => displayPath(p, cwd)),
        baseline: inputs.baseline.map((p) => displayPath(p, cwd)),
        migrations: inputs.migrations.map((p) => displayPath(p, cwd)),
        migrationFormat: inputs.migrationFormat ?? 'flyway',
      },
      side: toReference ? ('reference' as const) : ('migrations' as const),
      statements: fix.statements.map(({ sql, kind, object, action, concurrent }) => ({ sql, kind, object, action, ...(concurrent ? { concurrent } : {}) })),
      ...(toReference ? { groups: referenceFolders(fix.statements, ref) } : {}),
      withheld: fix.withheld.map(({ sql, kind, object, reason }) => ({ sql, kind, object, reason })),
      unsupported: fix.unsupported,
      outsideTransaction: fix.outsideTransaction,
    };
    if (fix.statements.length === 0 && fix.withheld.length === 0 && fix.unsupported.length === 0) {
      return { ...base, ok: true, status: 'nothing-to-fix', sql: '', proof: { applied: true, remaining: [] }, durationMs: performance.now() - started };
    }
    const render = (status: 'proven' | 'not-proven', proof?: FixResult['proof']) =>
      toReference
        ? renderReferenceSql(base.groups!, { status, engine, remaining: proof?.remaining.length, error: proof?.error })
        : renderFixSql(fix, { status, engine, remaining: proof?.remaining.length, error: proof?.error, ...(proof?.beforeRepeatables ? { place: `as the next versioned migration, before the repeatable ones (${proof.beforeRepeatables.join(', ')})` } : {}) });
    const { body } = render('proven');
    const proofSide = toReference ? { name: 'reference' as const, files: inputs.parsed.reference } : { name: 'migrations' as const, files: history };
    // Saved as Flyway's next versioned migration, the fix runs before the repeatable ones (see FixOptions).
    const firstRepeatable = options.asNextMigration && !toReference && (inputs.migrationFormat ?? 'flyway') === 'flyway' ? history.findIndex((f) => inputs.parsed.migrations.includes(f) && /^R__/.test(basename(f.file.path))) : -1;
    const beforeRepeatables = firstRepeatable >= 0 ? { at: firstRepeatable, files: history.slice(firstRepeatable).map((f) => f.file.displayPath) } : undefined;
    // Nothing generated (only unsupported or withheld changes): the migrations themselves are what remains.
    const proof: FixResult['proof'] = fix.statements.length
      ? await proveFix(body, { request, plan, side: proofSide, open, versionNum: info.versionNum, cwd, remainingOf, lint: !toReference, beforeRepeatables })
      : { applied: true, remaining: remainingOf(toReference ? ref.catalog : mig.catalog) };
    const status: FixStatus = proof.applied && proof.remaining.length === 0 ? 'proven' : 'not-proven';
    const sql = render(status, proof).text;
    return { ...base, ok: status === 'proven' && fix.withheld.length === 0 && fix.unsupported.length === 0, status, sql, proof, durationMs: performance.now() - started };
  } finally {
    await open?.close();
    await engines.close();
  }
}

/**
 * Tools that run a migration as one transaction whatever it says, so CONCURRENTLY would fail there and the
 * fix uses the plain forms: golang-migrate's Postgres driver and the Supabase CLI send the file as one query
 * string or batch; graphile-migrate runs current.sql in a transaction and, in watch mode, again on every save.
 */
function oneQueryString(format: string | undefined): boolean {
  return format === 'golang-migrate' || format === 'supabase' || format === 'graphile-migrate';
}

interface ProofInputs {
  request: ScratchSidesRequest;
  plan: ScratchPlan;
  /** The side the fix is added to, with its own files. */
  side: { name: 'reference' | 'migrations'; files: ParsedFile[] };
  /** That side's scratch database, still open after it was read; absent when its catalog came from the cache. */
  open?: ScratchDatabase;
  /** The fix goes before the side's file at this index (Flyway's repeatable migrations), not after the last. */
  beforeRepeatables?: { at: number; files: string[] };
  versionNum: number;
  cwd: string;
  remainingOf(catalog: Catalog): Finding[];
  lint: boolean;
}

/**
 * The fix side: the side's files plus the fix as one more file, read back and diffed. The fix is applied on
 * the side's own scratch database, which holds exactly what its files made (reading it changed nothing; the
 * session is reset as between two files). When the side's catalog came from the cache there is none: a fix
 * side is built, with the side's cache keys, so it starts from the history's checkpoint when there is one.
 * Failing to apply is a result.
 */
async function proveFix(sql: string, p: ProofInputs): Promise<FixResult['proof']> {
  let fixFile: ParsedFile;
  try {
    fixFile = await parseSqlFile({ path: join(p.cwd, GENERATED_FILE), displayPath: GENERATED_FILE, text: sql });
  } catch (error) {
    return { applied: false, error: (error as Error).message, remaining: [] };
  }
  let catalog: Catalog;
  const at = p.beforeRepeatables?.at ?? p.side.files.length;
  const files = [...p.side.files.slice(0, at), fixFile, ...p.side.files.slice(at)];
  const placed = p.beforeRepeatables ? { beforeRepeatables: p.beforeRepeatables.files } : {};
  // The migration-safety lint traces the fix as it is applied (locks taken, tables rewritten).
  const lint = p.lint ? new LintSession(new Set([fixFile]), files) : undefined;
  try {
    // The open side has every file applied: it takes a fix that goes last.
    if (p.open && !p.beforeRepeatables) {
      await resetSession(p.open);
      if (p.side.name === 'reference') await applyReference(p.open, [fixFile]);
      else await applyMigrations(p.open, [fixFile], undefined, lint);
      catalog = await introspectCatalog(p.open, { ...p.plan.introspect, versionNum: p.versionNum });
    } else {
      const [side] = await buildScratchSides({ ...p.request, sides: [{ name: p.side.name, files }], ...(lint ? { migrationsTracer: lint } : {}) }, p.plan);
      catalog = side.catalog;
    }
  } catch (error) {
    if (!(error instanceof VerifyError)) throw error;
    return { applied: false, error: error.message, remaining: [], ...placed };
  }
  const hits = lint ? await lint.finish(catalog, files, p.cwd) : [];
  return { applied: true, remaining: p.remainingOf(catalog), ...(lint ? { lint: hits.map(({ code, hit }) => lintFinding(code, hit, p.cwd)) } : {}), ...placed };
}

export type { FixPlan };
