import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { introspectCatalog } from '../src/catalog/introspect.js';
import { defaultCacheDir } from '../src/engine/cache-dir.js';
import { PgliteEngine } from '../src/engine/pglite-engine.js';
import type { Report } from '../src/report/finding.js';
import { findRedundantIndexes } from '../src/rules/redundant-indexes/find-redundant-indexes.js';
import { readIndexStats } from '../src/rules/redundant-indexes/index-stats.js';
import { redundantIndexFindings } from '../src/rules/redundant-indexes/redundant-index-findings.js';
import { REDUNDANT_INDEX_CODES } from '../src/rules/redundant-indexes/registry.js';
import { discoverScenarios, scenarioArgs, toGolden } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const scenario = (name: string) => discoverScenarios().find((s) => s.name === name)!;

describe('verify-schema redundant-indexes', () => {
  it('reports exactly the redundant-index findings of the normal report, and is not failed by drift', async () => {
    const s = scenario('guide-without-v006');
    const [normal, command] = await Promise.all([
      runCli([...scenarioArgs(s), '--format', 'json'], { cwd: s.dir }),
      runCli(['redundant-indexes', ...scenarioArgs(s), '--format', 'json'], { cwd: s.dir }),
    ]);
    const normalFindings = (JSON.parse(normal.stdout) as Report).findings;
    const commandReport = JSON.parse(command.stdout) as Report;
    expect(normal.exitCode).toBe(1); // drift: policies, RLS, the two extra indexes
    expect(command.exitCode).toBe(0); // only warnings left
    expect(commandReport.findings).toEqual(normalFindings.filter((f) => REDUNDANT_INDEX_CODES.includes(f.code)));
    // The two V006 drops, and the entity_id index the guide missed (on both sides).
    expect(commandReport.findings.map((f) => f.object).sort()).toEqual([
      'public.idx_entity_attribute_provenance_entity',
      'public.idx_integration_connections_workspace',
      'public.idx_integration_definitions_slug',
    ]);
    expect(commandReport.summary).toMatchObject({ total: 3, errors: 0, warnings: 3 });
  });

  it('prints the covering object and a ready drop statement, and honours severities from the config', async () => {
    const s = scenario('redundant-indexes-sides');
    const result = await runCli(['redundant-indexes', ...scenarioArgs(s)], { cwd: s.dir });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1); // the config raises index-duplicate to error
    expect(result.stdout).toContain('index public.events_a (a) is a leading prefix of index public.events_a_b (a, b), which serves the same lookups (found on the reference)');
    expect(result.stdout).toContain('DROP INDEX CONCURRENTLY public.events_a;');
    expect(result.stdout).toContain('(found on the reference and the migrations)');
    expect(result.stdout).toContain('DROP INDEX CONCURRENTLY public.events_b_copy;');
    expect(result.stdout).not.toContain('index-missing');
    expect(result.stdout).toContain('2 findings (1 error, 1 warning)');
  });

  it('counts what the config ignores, as every report does', async () => {
    const s = scenario('redundant-indexes-sides');
    const config = join(tempDir('vs-redundant-'), 'config.json');
    writeFileSync(config, JSON.stringify({ ignore: [{ code: 'index-covered-by-prefix', reason: 'test' }, { code: 'index-missing' }] }));
    const result = await runCli(['redundant-indexes', ...scenarioArgs(s), '--format', 'json', '--config', config], { cwd: s.dir });
    const report = JSON.parse(result.stdout) as Report;
    // index-missing is not this command's concern: only the redundant finding it dropped counts.
    expect(report.findings.map((f) => f.code)).toEqual(['index-duplicate']);
    expect(report.summary).toMatchObject({ total: 1, ignored: 1 });
    expect(report.checked?.find((c) => c.object === 'public.events_a')).toEqual({ kind: 'index', object: 'public.events_a', table: 'public.events', ignored: true });
    expect(result.exitCode).toBe(0);
  });
});

describe('redundant indexes of one database, with statistics (the --live path)', () => {
  it('adds the size and scan count of each redundant index', async () => {
    const engine = await PgliteEngine.start({ cacheDir: defaultCacheDir(join(import.meta.dirname, '..')) });
    const db = await engine.createScratch({ label: 'live', extensions: [] });
    try {
      await db.exec(`
        CREATE TABLE orders (id int PRIMARY KEY, customer int, placed date);
        CREATE INDEX orders_customer ON orders (customer);
        CREATE INDEX orders_customer_placed ON orders (customer, placed);
        INSERT INTO orders SELECT g, g % 50, DATE '2024-01-01' + g % 365 FROM generate_series(1, 2000) g;
        SET enable_seqscan = off; SET enable_bitmapscan = off;
        SELECT count(*) FROM orders WHERE customer = 7;`);
      // A failed CREATE INDEX CONCURRENTLY leaves an invalid index behind; it must not count as a cover.
      await expect(db.exec('CREATE UNIQUE INDEX CONCURRENTLY orders_customer_unique ON orders (customer)')).rejects.toThrow(/could not create unique index/);
      const catalog = await introspectCatalog(db, { versionNum: engine.info.versionNum });
      const stats = await readIndexStats(db);
      const found = findRedundantIndexes(catalog, { stats });
      expect(found.map((r) => [r.index.key, r.coveredBy.key, r.rule.code])).toEqual([['public.orders_customer', 'public.orders_customer_placed', 'index-covered-by-prefix']]);
      expect(found[0].stats?.sizeBytes).toBeGreaterThan(8192);
      expect(found[0].stats?.scans).toEqual(expect.any(Number));
      const [finding] = redundantIndexFindings({ live: catalog }, { live: stats });
      expect(finding.details).toMatchObject({ sides: ['live'], sizeBytes: found[0].stats!.sizeBytes, scans: found[0].stats!.scans, suggestion: 'DROP INDEX CONCURRENTLY public.orders_customer;' });
      expect(finding.message).toContain('(found on the live database)');
    } finally {
      await db.close();
      await engine.close();
    }
  });
});
