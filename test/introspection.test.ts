import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectCatalog } from '../src/catalog/introspect.js';
import { CATALOG_KINDS } from '../src/catalog/kinds/index.js';
import { defaultCacheDir } from '../src/engine/cache-dir.js';
import { PgliteEngine } from '../src/engine/pglite-engine.js';
import type { ScratchDatabase } from '../src/engine/scratch-database.js';

/** Counts every round trip a ScratchDatabase makes. */
function counting(db: ScratchDatabase) {
  let count = 0;
  const wrapped: ScratchDatabase = {
    label: db.label,
    exec: (sql) => (count++, db.exec(sql)),
    query: (sql, params) => (count++, db.query(sql, params)),
    close: () => db.close(),
  };
  return { db: wrapped, count: () => count };
}

function schemaOfSize(tables: number): string {
  const out: string[] = [];
  for (let i = 0; i < tables; i++) {
    out.push(
      `CREATE TABLE t${i} (id int PRIMARY KEY, ref int${i ? ` REFERENCES t${i - 1}` : ''}, v text CHECK (v <> ''));`,
      `CREATE INDEX t${i}_v ON t${i} (v);`,
      `ALTER TABLE t${i} ENABLE ROW LEVEL SECURITY;`,
      `CREATE POLICY p${i} ON t${i} USING (v IS NOT NULL);`,
      `CREATE FUNCTION f${i}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;`,
      `CREATE TRIGGER tr${i} BEFORE UPDATE ON t${i} FOR EACH ROW EXECUTE FUNCTION f${i}();`,
    );
  }
  return out.join('\n');
}

describe('introspection', () => {
  let engine: PgliteEngine;
  beforeAll(async () => {
    engine = await PgliteEngine.start({ cacheDir: defaultCacheDir() });
  });
  afterAll(async () => engine.close());

  it('uses the same, fixed number of catalog queries for 1 table and for 60', async () => {
    const counts: number[] = [];
    const sizes: number[] = [];
    for (const tables of [1, 60]) {
      const raw = await engine.createScratch({ label: 'reference', extensions: [] });
      try {
        await raw.exec(schemaOfSize(tables));
        const { db, count } = counting(raw);
        const catalog = await introspectCatalog(db, { versionNum: engine.info.versionNum });
        counts.push(count());
        sizes.push(catalog.get('table')!.size + catalog.get('index')!.size + catalog.get('trigger')!.size);
      } finally {
        await raw.close();
      }
    }
    // Per table: the table, its primary key index and t_v index, its trigger.
    expect(sizes).toEqual([4, 240]);
    expect(counts[1]).toBe(counts[0]);
    // One query per object kind, plus pinning search_path and listing the schemas.
    expect(counts[0]).toBeLessThanOrEqual(CATALOG_KINDS.length + 2);
  });
});
