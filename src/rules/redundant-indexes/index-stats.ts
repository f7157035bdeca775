import { qualify } from '../../catalog/catalog-object.js';
import type { ScratchDatabase } from '../../engine/scratch-database.js';
import type { IndexStats } from './find-redundant-indexes.js';

/**
 * Size and scan count of every user index, keyed like the catalog (`public.idx_users_email`), for
 * findRedundantIndexes on a live database: what dropping an index would reclaim and whether anything used it.
 * One query; works on any engine (on a scratch database the numbers are simply small).
 */
export async function readIndexStats(db: ScratchDatabase): Promise<Map<string, IndexStats>> {
  const rows = await db.query<{ schema: string; name: string; size_bytes: string | number; scans: string | number | null }>(`
    SELECT s.schemaname AS schema, s.indexrelname AS name,
           pg_relation_size(s.indexrelid)::text AS size_bytes, s.idx_scan::text AS scans
      FROM pg_stat_user_indexes s`);
  return new Map(rows.map((r) => [qualify(r.schema, r.name), { sizeBytes: Number(r.size_bytes), scans: r.scans === null ? null : Number(r.scans) }]));
}
