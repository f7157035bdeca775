import { analyzeInputs, mergeNeeds, type InputNeeds } from './apply/input-needs.js';
import { applyMigrations, applyReference } from './apply/apply-statements.js';
import { AUTH_SCHEMA, preludeSql } from './apply/prelude.js';
import type { Catalog } from './catalog/catalog-object.js';
import { introspectCatalog } from './catalog/introspect.js';
import { diffCatalogs } from './diff/diff-catalogs.js';
import { startEngine } from './engine/start-engine.js';
import type { Engine, ScratchDatabase } from './engine/scratch-database.js';
import { displayPath } from './inputs/display-path.js';
import { readSqlFile } from './inputs/read-sql-file.js';
import { resolveInputs } from './inputs/resolve-inputs.js';
import type { VerifyOptions } from './options.js';
import { parseSqlFile, type ParsedFile } from './parse/parse-sql.js';
import type { Finding, Report } from './report/finding.js';
import { summarize } from './report/summarize.js';

/**
 * The whole check: discover and parse the inputs, apply the reference to one scratch database and
 * baseline + migrations to another, introspect both catalogs, diff them and build the report.
 * Throws VerifyError (exit code 2) when it cannot verify.
 */
export async function verifySchema(options: VerifyOptions): Promise<Report> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const inputs = await resolveInputs({ reference: options.reference, migrations: options.migrations, baseline: options.baseline }, cwd);
  const [reference, baseline, migrations] = await Promise.all([
    parseAll(inputs.reference),
    parseAll(inputs.baseline),
    parseAll(inputs.migrations.map((m) => m.path)),
  ]);
  const referenceNeeds = analyzeInputs(reference);
  const migrationNeeds = analyzeInputs([...baseline, ...migrations]);
  const allNeeds = mergeNeeds(referenceNeeds, migrationNeeds);

  options.onProgress?.({ phase: 'start-engine' });
  const engine: Engine = await startEngine(options, cwd);
  const extensions = [...allNeeds.extensions];
  const scratches: ScratchDatabase[] = [];
  try {
    const [refDb, migDb] = await Promise.all([
      engine.createScratch({ label: 'reference', extensions }),
      engine.createScratch({ label: 'migrations', extensions }),
    ]);
    scratches.push(refDb, migDb);
    const excludeSchemas = allNeeds.usesAuth ? [AUTH_SCHEMA] : [];
    const introspect = { versionNum: engine.info.versionNum, schemas: options.schemas, excludeSchemas, comments: options.comments, privileges: options.privileges };
    const [refCatalog, migCatalog] = await Promise.all([
      (async () => {
        await prepare(refDb, referenceNeeds, allNeeds.usesAuth);
        await applyReference(refDb, reference, (f, index, total) => options.onProgress?.({ phase: 'apply', side: 'reference', file: f.file.displayPath, index, total }));
        return introspectCatalog(refDb, introspect);
      })(),
      (async () => {
        await prepare(migDb, migrationNeeds, allNeeds.usesAuth);
        await applyMigrations(migDb, [...baseline, ...migrations], (f, index, total) => options.onProgress?.({ phase: 'apply', side: 'migrations', file: f.file.displayPath, index, total }));
        return introspectCatalog(migDb, introspect);
      })(),
    ]);
    options.onProgress?.({ phase: 'introspect' });
    const findings = applySeverities(collectFindings(refCatalog, migCatalog, options), options);
    return {
      version: 1,
      ok: passes(findings, options.failOn ?? 'error'),
      engine: { name: engine.info.name, version: engine.info.version },
      inputs: {
        reference: inputs.reference.map((p) => displayPath(p, cwd)),
        baseline: inputs.baseline.map((p) => displayPath(p, cwd)),
        migrations: inputs.migrations.map((m) => displayPath(m.path, cwd)),
      },
      findings,
      warnings: inputs.warnings,
      summary: summarize(findings, performance.now() - started),
    };
  } finally {
    await Promise.allSettled(scratches.map((s) => s.close()));
    await engine.close();
  }
}

/** Every source of findings, in report order: catalog drift first, then rules. */
function collectFindings(reference: Catalog, migrations: Catalog, options: VerifyOptions): Finding[] {
  return [...diffCatalogs(reference, migrations, { strictColumnOrder: options.strictColumnOrder })];
}

async function parseAll(paths: string[]): Promise<ParsedFile[]> {
  return Promise.all(paths.map(async (p) => parseSqlFile(await readSqlFile(p))));
}

/** Roles and the auth stand-in, before any input runs. Both sides get the stand-in if either needs it. */
async function prepare(db: ScratchDatabase, needs: InputNeeds, usesAuth: boolean): Promise<void> {
  const existing = new Set((await db.query<{ rolname: string }>('SELECT rolname FROM pg_roles')).map((r) => r.rolname));
  const sql = preludeSql({ ...needs, usesAuth }, existing);
  if (sql) await db.exec(sql);
}

function applySeverities(findings: Finding[], options: VerifyOptions): Finding[] {
  const overrides = options.severity ?? {};
  return findings.map((f) => (overrides[f.code] ? { ...f, severity: overrides[f.code] } : f));
}

export function passes(findings: Finding[], failOn: 'error' | 'warning' | 'never'): boolean {
  if (failOn === 'never') return true;
  return !findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
}
