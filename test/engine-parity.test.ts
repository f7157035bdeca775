import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeInputs } from '../src/apply/input-needs.js';
import { applyReference } from '../src/apply/apply-statements.js';
import { clusterRoles } from '../src/apply/prelude.js';
import type { Catalog, CatalogObject } from '../src/catalog/catalog-object.js';
import { introspectCatalog } from '../src/catalog/introspect.js';
import { defaultCacheDir } from '../src/engine/cache-dir.js';
import { parseConnectionUrl } from '../src/engine/connection-url.js';
import { PgliteEngine } from '../src/engine/pglite-engine.js';
import type { Engine } from '../src/engine/scratch-database.js';
import { ServerEngine } from '../src/engine/server-engine.js';
import { parseSqlFile } from '../src/parse/parse-sql.js';
import { runPrelude } from '../src/apply/prelude.js';
import { SERVER_SKIP_NOTE, TEST_SERVER_URL } from './helpers/server.js';

/**
 * Stronger than equal findings: a schema full of things Postgres versions print differently is applied to
 * PGlite (Postgres 18) and to the test server, and the two catalogs must be identical object for object,
 * attribute for attribute (and in the extra info the rules use). A difference here is engine noise that
 * would otherwise show up as drift when a reference is read on one engine and a live database on another.
 */
const path = join(import.meta.dirname, 'sql', 'engine-parity.sql');

async function catalogOn(engine: Engine): Promise<Catalog> {
  const text = await readFile(path, 'utf8');
  const parsed = await parseSqlFile({ path, displayPath: 'engine-parity.sql', text });
  const needs = analyzeInputs([parsed]);
  const db = await engine.createScratch({ label: 'reference', extensions: [...needs.extensions] });
  try {
    await engine.prepareRoles?.(clusterRoles(needs), db);
    await runPrelude(db, needs, false);
    await applyReference(db, [parsed]);
    return await introspectCatalog(db, { versionNum: engine.info.versionNum });
  } finally {
    await db.close();
    await engine.close();
  }
}

/**
 * Everything, except extension versions (they follow each server's contrib packages and are never compared)
 * and an index's oid (`createdOrder`: only its order within one database is used, to keep the older of two
 * duplicates).
 */
function plain(catalog: Catalog): Record<string, unknown> {
  const strip = (kind: string, o: CatalogObject) => {
    if (kind === 'extension') return { ...o, info: {} };
    if (kind === 'index') return { ...o, info: { ...o.info, createdOrder: undefined } };
    return o;
  };
  return Object.fromEntries([...catalog].map(([kind, objects]) => [kind, Object.fromEntries([...objects].map(([key, o]) => [key, strip(kind, o)]))]));
}

describe.skipIf(!TEST_SERVER_URL)(`engine parity${TEST_SERVER_URL ? '' : ` (${SERVER_SKIP_NOTE})`}`, () => {
  it('PGlite and the server read the same schema into identical catalogs', async () => {
    const [embedded, server] = await Promise.all([
      PgliteEngine.start({ cacheDir: defaultCacheDir() }).then(catalogOn),
      ServerEngine.start({ url: parseConnectionUrl(TEST_SERVER_URL!, 'VERIFY_SCHEMA_TEST_DATABASE_URL') }).then(catalogOn),
    ]);
    // Sanity: the schema really was read (a failure to apply would leave both empty and equal).
    expect(embedded.get('table')?.size).toBeGreaterThanOrEqual(6);
    expect(embedded.get('function')?.size).toBe(5);
    expect(plain(server)).toEqual(plain(embedded));
  });
});
