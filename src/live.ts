import { analyzeInputs } from './apply/input-needs.js';
import { AUTH_SCHEMA, clusterRoles } from './apply/prelude.js';
import { buildSideCatalog } from './build-side.js';
import type { Catalog } from './catalog/catalog-object.js';
import { introspectCatalog, type IntrospectOptions } from './catalog/introspect.js';
import { parseConnectionUrl, type ConnectionUrl } from './engine/connection-url.js';
import type { ScratchDatabase } from './engine/scratch-database.js';
import { readServerVersion, ServerConnection } from './engine/server-connection.js';
import { engineProvider, serverUrl } from './engine/start-engine.js';
import { InputError } from './errors.js';
import { displayPath } from './inputs/display-path.js';
import { expandPlain } from './inputs/resolve-inputs.js';
import type { VerifyOptions } from './options.js';
import type { Finding, Report } from './report/finding.js';
import { collectFindings, finalizeFindings, parseAll, passes, summarizeWithIgnored } from './verify.js';

/** Schemas compared in a live database unless told otherwise: a real database holds many that are not the project's. */
export const LIVE_DEFAULT_SCHEMAS = ['public'];

/**
 * Live drift: the reference is applied to a scratch database (PGlite, or the --database-url server) and
 * compared with the catalog of a running database, read inside one READ ONLY transaction that is rolled back.
 * Nothing is created in the live database or its cluster. Findings use the usual format: the live database
 * takes the place of the migrations side.
 */
export async function verifyLive(options: VerifyOptions & { live?: string }): Promise<Report> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  if (!options.live) throw new InputError('verifyLive needs options.live, the URL of the database to compare');
  const live = parseConnectionUrl(options.live, '--live');
  const scratchUrl = serverUrl(options);
  if (scratchUrl && parseConnectionUrl(scratchUrl, '--database-url').server === live.server) {
    throw new InputError(`--database-url and --live name the same server (${live.server}); --live never creates anything in the live cluster, so give a different server for the scratch database or leave --database-url out to use the embedded Postgres`);
  }
  if (options.reference.length === 0) throw new InputError('no reference schema given; pass --reference PATH or set "reference" in verify-schema.config.json');
  const referencePaths = await expandPlain(options.reference, 'reference', cwd);
  const reference = await parseAll(referencePaths, cwd);
  const needs = analyzeInputs(reference);
  const schemas = options.schemas ?? LIVE_DEFAULT_SCHEMAS;
  const introspect = { schemas, excludeSchemas: needs.usesAuth ? [AUTH_SCHEMA] : [], comments: options.comments, privileges: options.privileges };

  const engines = engineProvider(options, cwd);
  try {
    const [ref, liveCatalog] = await Promise.all([
      buildSideCatalog({
        side: 'reference',
        files: reference,
        needs,
        roles: clusterRoles(needs),
        usesAuth: needs.usesAuth,
        extensions: [...needs.extensions].sort(),
        introspect,
        engines,
        onFile: (f, index, total) => options.onProgress?.({ phase: 'apply', side: 'reference', file: f.file.displayPath, index, total }),
      }),
      readLiveDatabase(live, introspect).then((r) => r.catalog),
    ]);
    options.onProgress?.({ phase: 'introspect' });
    const { findings, ignored } = finalizeFindings(collectFindings(ref.catalog, liveCatalog, options).map(liveWording), options);
    return {
      version: 1,
      ok: passes(findings, options.failOn ?? 'error'),
      engine: await engines.info().then((info) => ({ name: info.name, version: info.version })),
      inputs: { reference: referencePaths.map((p) => displayPath(p, cwd)), baseline: [], migrations: [], live: live.masked },
      findings,
      warnings: [],
      summary: summarizeWithIgnored(findings, ignored, performance.now() - started),
    };
  } finally {
    await engines.close();
  }
}

/**
 * Reads a live database's catalog (and, with `extra`, more in the same snapshot, such as index statistics)
 * inside one READ ONLY transaction that is rolled back, so even SET leaves nothing behind.
 */
export async function readLiveDatabase<T = undefined>(
  url: ConnectionUrl,
  introspect: Omit<IntrospectOptions, 'versionNum'>,
  extra?: (db: ScratchDatabase) => Promise<T>,
): Promise<{ catalog: Catalog; extra?: T; version: string }> {
  const connection = await ServerConnection.open(url, url.url, url.database);
  try {
    const version = await readServerVersion(connection);
    await connection.exec('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const db: ScratchDatabase = { label: 'live', exec: (sql) => connection.exec(sql), query: (sql, params) => connection.query(sql, params), close: async () => undefined };
    const catalog = await introspectCatalog(db, { ...introspect, versionNum: version.versionNum });
    const more = extra ? await extra(db) : undefined;
    await connection.exec('ROLLBACK');
    return { catalog, extra: more, version: version.version };
  } finally {
    await connection.end();
  }
}

/** The diff speaks of "the migrations"; here the other side is the live database. */
function liveWording(finding: Finding): Finding {
  return { ...finding, message: finding.message.replace('not produced by the migrations', 'not in the live database').replace('produced by the migrations but', 'in the live database but').replace(/\(migrations\)/g, '(live)') };
}
