import type { Catalog } from '../../catalog/catalog-object.js';
import { introspectCatalog, type IntrospectOptions } from '../../catalog/introspect.js';
import type { ConnectionUrl } from '../../engine/connection-url.js';
import type { ScratchDatabase } from '../../engine/scratch-database.js';
import { readServerVersion, ServerConnection } from '../../engine/server-connection.js';
import { readIndexStats } from '../../rules/redundant-indexes/index-stats.js';
import type { BuiltSide } from './built-side.js';

/**
 * The live side: a running database's catalog (and, when asked, its index statistics), read in one snapshot.
 * Nothing is created in the live database or its cluster.
 */
export async function buildLiveSide(url: ConnectionUrl, introspect: Omit<IntrospectOptions, 'versionNum'>, withIndexStats: boolean): Promise<{ side: BuiltSide; version: string }> {
  const read = await readLiveDatabase(url, introspect, withIndexStats ? readIndexStats : undefined);
  return { side: { name: 'live', catalog: read.catalog, ...(read.extra ? { indexStats: read.extra } : {}) }, version: read.version };
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
