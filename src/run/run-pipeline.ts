import { join } from 'node:path';
import { BackgroundWrites } from '../cache/background-writes.js';
import { ParseTreeCache } from '../cache/parse-trees.js';
import { resolveEngineSettings, type EngineSettings } from '../engine/engine-settings.js';
import { engineProvider } from '../engine/start-engine.js';
import { parseConnectionUrl, type ConnectionUrl } from '../engine/connection-url.js';
import { InputError } from '../errors.js';
import { displayPath } from '../inputs/display-path.js';
import type { VerifyOptions } from '../options.js';
import type { Catalog } from '../catalog/catalog-object.js';
import { buildReport } from '../report/build-report.js';
import type { Report } from '../report/finding.js';
import type { SideName } from '../report/side-words.js';
import { isPlatformObject, platformObjects } from '../platforms/platform.js';
import { trace } from '../trace.js';
import { blameUnapplied } from './blame-unapplied.js';
import { locateFindings } from './locate-findings.js';
import { resolveRunInputs } from './resolve-run-inputs.js';
import { chooseEngine } from '../engine/engine-registry.js';
import type { BuiltSide } from './sides/built-side.js';
import { buildScratchSides, planScratchSides, type ScratchSidePlan } from './sides/scratch-sides.js';
import type { CatalogStepContext, Step, StepOutput, StepPreparation } from './step.js';

/** One configuration of the pipeline: which sides to build and which steps to run on them. */
export interface Pipeline {
  /** In report order; `reference` and `migrations` are applied to scratch databases, `live` is read. */
  sides: SideName[];
  steps: Step[];
  /** Read index statistics with a live catalog (what dropping a redundant index would reclaim). */
  liveIndexStats?: boolean;
  /** Use the catalog cache and migration checkpoints when the options allow (default true). */
  cache?: boolean;
}

/**
 * The one pipeline every entry point runs: resolve and parse the inputs, start the file steps, build the
 * sides (scratch databases in parallel, a live database read only), run the catalog steps, locate their
 * findings in the sides' files, and make the report. Throws VerifyError (exit 2) when it cannot verify.
 */
export async function runPipeline(pipeline: Pipeline, options: VerifyOptions): Promise<Report> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const wants = (side: SideName) => pipeline.sides.includes(side);
  const engineSettings = resolveEngineSettings(options, cwd);
  const live = wants('live') ? liveUrl(options, wants('reference') || wants('migrations') ? engineSettings : undefined) : undefined;
  if (wants('reference') || wants('migrations')) chooseEngine(engineSettings).prewarm?.(engineSettings);
  // Parse trees of unchanged files come from the cache folder, as the catalogs and checkpoints do.
  const trees = pipeline.cache !== false && options.cache !== false ? await ParseTreeCache.load(join(engineSettings.cacheDir, 'parses')) : undefined;
  const inputs = await resolveRunInputs({ reference: wants('reference'), migrations: wants('migrations') }, options, cwd, trees);
  trace('parsed all files', started);
  const context = { options, inputs };
  const inputSteps = new Map<Step, Promise<StepOutput>>();
  for (const step of pipeline.steps) if (step.needs === 'inputs') inputSteps.set(step, Promise.resolve(step.run(context)));
  // Awaited below; this only keeps an early engine failure from leaving them unhandled.
  for (const running of inputSteps.values()) running.catch(() => undefined);

  const scratch: ScratchSidePlan[] = [];
  if (wants('reference')) scratch.push({ name: 'reference', files: inputs.parsed.reference });
  if (wants('migrations')) scratch.push({ name: 'migrations', files: [...inputs.parsed.baseline, ...inputs.parsed.setup, ...inputs.parsed.migrations] });
  const engines = scratch.length ? engineProvider(engineSettings) : undefined;
  const writes = new BackgroundWrites();
  if (trees) writes.add(trees.save().catch((error: unknown) => options.onNotice?.(`could not save parse trees in the cache (the next run parses again): ${(error as Error).message}`)));
  let handedOver = false;
  try {
    const prepared = new Map<Step, StepPreparation | undefined>();
    for (const step of pipeline.steps) if (step.needs === 'catalogs' && step.prepare) prepared.set(step, await step.prepare(context));
    const migrationsTracer = [...prepared.values()].find((p) => p?.migrationsTracer)?.migrationsTracer;
    for (const p of prepared.values()) scratch.push(...(p?.scratchSides ?? []));
    const request = { sides: scratch, engines: engines!, options, cwd, cacheDir: engineSettings.cacheDir, defaultSchemas: live ? LIVE_SCHEMAS : undefined, cache: pipeline.cache !== false, migrationsTracer, platform: inputs.platform, writes };
    const plan = scratch.length ? planScratchSides(request) : undefined;
    const liveIntrospect = { schemas: options.schemas ?? LIVE_SCHEMAS, excludeSchemas: plan?.introspect.excludeSchemas ?? [], comments: options.comments, privileges: options.privileges };
    const [scratchSides, liveSide] = await Promise.all([
      plan ? buildScratchSides(request, plan).catch((error: unknown) => Promise.reject(blameUnapplied(error, inputs))) : Promise.resolve([]),
      // The Postgres driver loads only when a live database is read.
      live ? import('./sides/live-side.js').then((m) => m.buildLiveSide(live, liveIntrospect, Boolean(pipeline.liveIndexStats))) : undefined,
    ]);
    trace('sides built');
    options.onProgress?.({ phase: 'introspect' });
    const sides = new Map<SideName, BuiltSide>([...scratchSides, ...(liveSide ? [liveSide.side] : [])].map((s) => [s.name, s]));
    const catalogContext: CatalogStepContext = { ...context, sides };
    const outputs: StepOutput[] = [];
    for (const step of pipeline.steps) {
      if (step.needs === 'inputs') outputs.push(await inputSteps.get(step)!);
      else {
        const output = await step.run(catalogContext, prepared.get(step));
        outputs.push({ ...output, findings: locateFindings(output.findings, sides) });
      }
    }
    trace('steps done');
    // The platform's own objects are on both sides only because the platform stand-in made them: never reported.
    const platformKeys = inputs.platform ? await platformObjects(inputs.platform) : new Set<string>();
    const notPlatform = (item: { kind: string; object: string }) => !isPlatformObject(platformKeys, item);
    const checked = outputs.some((o) => o.checked) ? outputs.flatMap((o) => o.checked ?? []).filter(notPlatform) : undefined;
    const info = engines ? await engines.info() : { name: 'server', version: liveSide!.version };
    const reference = sides.get('reference');
    const migrations = sides.get('migrations');
    const report = buildReport(
      {
        sides: pipeline.sides,
        engine: { name: info.name, version: info.version },
        inputs: {
          reference: inputs.reference.map((p) => displayPath(p, cwd)),
          baseline: inputs.baseline.map((p) => displayPath(p, cwd)),
          migrations: inputs.migrations.map((p) => displayPath(p, cwd)),
          ...(live ? { live: live.masked } : {}),
          ...(inputs.migrationFormat ? { migrationFormat: inputs.migrationFormat } : {}),
          ...(inputs.platform ? { platform: inputs.platform.name } : {}),
        },
        findings: outputs.flatMap((o) => o.findings).filter(notPlatform),
        warnings: [...inputs.warnings, ...outputs.flatMap((o) => o.warnings ?? []), ...absentSchemas(options.schemas, [...sides.values()].map((s) => s.catalog))],
        checked,
        ...(reference?.source && migrations?.source ? { cache: { reference: reference.source, migrations: migrations.source } } : {}),
        ...Object.assign({}, ...outputs.map((o) => o.report ?? {})),
        durationMs: performance.now() - started,
      },
      options,
    );
    // The report does not wait for the cache writes: the caller may show it first (see onCacheWrites).
    if (options.onCacheWrites) {
      options.onCacheWrites(writes.settled());
      handedOver = true;
    }
    return report;
  } finally {
    await engines?.close();
    if (!handedOver) await writes.settled();
  }
}

/** Schemas read in a live database unless told otherwise: a real database holds many that are not the project's. */
export const LIVE_DEFAULT_SCHEMAS = ['public'];
const LIVE_SCHEMAS = LIVE_DEFAULT_SCHEMAS;

/** The live database's URL, refused when it is the server the scratch databases would be made on. */
function liveUrl(options: VerifyOptions, scratchEngine: EngineSettings | undefined): ConnectionUrl {
  if (!options.live) throw new InputError('a live comparison needs options.live, the URL of the database to compare');
  const live = parseConnectionUrl(options.live, '--live');
  const scratchUrl = scratchEngine?.databaseUrl;
  if (scratchUrl && parseConnectionUrl(scratchUrl, '--database-url').server === live.server) {
    throw new InputError(`--database-url and --live name the same server (${live.server}); --live never creates anything in the live cluster, so give a different server for the scratch database or leave --database-url out to use the embedded Postgres`);
  }
  return live;
}

/** A schema asked for by --schema that no side has: most likely a typo that would make the check compare nothing. */
function absentSchemas(wanted: string[] | undefined, catalogs: Catalog[]): string[] {
  return (wanted ?? [])
    .filter((schema) => !catalogs.some((c) => c.get('schema')?.has(schema)))
    .map((schema) => `schema ${schema} (from --schema or "schemas") exists on neither side, so nothing in it was compared; check the name`);
}
