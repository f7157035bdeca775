import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixSchema, type FixResult } from '../src/fix/fix-schema.js';
import { nextMigration, WRITABLE_FORMATS } from '../src/fix/next-migration.js';
import type { Report } from '../src/report/finding.js';
import { discoverScenarios, scenarioArgs, type Expected } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';
import { SERVER_SKIP_NOTE, TEST_SERVER_URL } from './helpers/server.js';
import { tempDir } from './helpers/temp-dir.js';

/**
 * `verify-schema fix` on every drift fixture (every scenario whose check exits 1), on every engine: the
 * generated migration, with --allow-data-loss, is proven by the fix itself and written as the next migration
 * in the scenario's tool layout (or as a file of its own); in another tool's layout than Flyway's, the check
 * that reads the folder then passes. New fixtures are picked up on their own, and every one of them must be
 * fixed: there is no list of exceptions. Scenarios that are not drift (bad input exiting 2, a migration that
 * fails to apply, lint/history/order findings only) are not fix's to solve and are left out by driftScenarios.
 * Scenarios run concurrently: each run cleans up only what it started.
 */
// The copies of scenarios have no node_modules, so the engine cache would default to the system temp folder,
// which other checkouts' test runs on this machine share: this file's runs use a cache folder of their own.
const cacheDir = tempDir('verify-schema-fix-cache-');
const env = { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: undefined, VERIFY_SCHEMA_CACHE_DIR: cacheDir };
const cli = (args: string[], cwd: string) => runCli(args, { cwd, env });

const DRIFT = new Set(['missing', 'extra', 'changed', 'renamed']);

const engines: Array<{ name: string; args: string[] }> = [{ name: 'pglite', args: [] }];
if (TEST_SERVER_URL) engines.push({ name: 'server', args: ['--database-url', TEST_SERVER_URL] });
else it.skip(`fix on every drift fixture (server): ${SERVER_SKIP_NOTE}`, () => undefined);

/**
 * Scenarios whose expected findings include drift between the reference and the migrations (codes
 * `<kind>-<change>`); other exit-1 scenarios fail on lint, history, order or setup-script findings.
 */
const driftScenarios = discoverScenarios().filter((s) => {
  const expected = JSON.parse(readFileSync(s.expectedPath, 'utf8')) as Expected;
  return expected.exitCode === 1 && (expected.findings ?? []).some((f) => ['missing', 'extra', 'changed', 'renamed'].includes(f.change) && f.code === `${f.kind}-${f.change}`);
});

/** `fix --no-cache --format json`: every run applies its SQL for real (the cache is tested in test/cache.test.ts). */
async function fix(args: string[], cwd: string): Promise<{ exitCode: number; result: FixResult; stderr: string }> {
  const run = await cli(['fix', ...args, '--no-cache', '--format', 'json'], cwd);
  if (run.exitCode === 2) throw new Error(`fix could not run: ${run.stderr}`);
  return { exitCode: run.exitCode, result: JSON.parse(run.stdout) as FixResult, stderr: run.stderr };
}

for (const engine of engines) {
  describe(`fix on every drift fixture (${engine.name})`, () => {
    it('finds drift fixtures to fix', () => {
      expect(driftScenarios.length).toBeGreaterThan(10);
      // The drift scenarios that need more than one statement per object (a table rebuilt, partitions, event triggers) are in the loop.
      for (const name of ['column-order-strict', 'partitions-drift', 'publications-and-event-triggers', 'supabase-drift', 'constraint-index-changed']) {
        expect(driftScenarios.map((s) => s.name)).toContain(name);
      }
    });
    for (const scenario of driftScenarios) {
      it.concurrent(scenario.name, async () => {
        const dir = tempDir('verify-schema-fix-');
        const original = [...scenarioArgs(scenario), ...engine.args];
        // A scenario whose files are all in its folder gets the fix --written into a copy of it, in its tool's
        // layout, as a user would; one that reads files elsewhere (the demo) gets it as a file (--output).
        // Flyway runs repeatable migrations (R__) after every versioned one, so the next versioned migration
        // cannot change what they define ('fix --write and Flyway repeatable migrations' below): those
        // scenarios take the fix as the last file.
        const inFolder = !hasRepeatables(scenario.dir) && original.every((a) => !isAbsolute(a) || (!relative(scenario.dir, a).startsWith('..') && !a.includes('/../')));
        const checkDir = inFolder ? join(dir, 'copy') : scenario.dir;
        if (inFolder) cpSync(scenario.dir, checkDir, { recursive: true });
        const args = original.map((a) => a.replace(scenario.dir, checkDir));
        // graphile-migrate takes the next migration in current.sql, which the check applies with --include-current.
        if (inFolder && scenario.name.startsWith('graphile-migrate') && !args.includes('--include-current')) args.push('--include-current');
        const migration = join(dir, 'V999999__reconcile_reference.sql');
        const { exitCode, result } = await fix([...args, '--allow-data-loss', ...(inFolder ? ['--write'] : ['--output', migration])], checkDir);
        expect({ status: result.status, error: result.proof.error, remaining: result.proof.remaining.map((f) => `${f.code} ${f.object}`), unsupported: result.unsupported }).toEqual({
          status: 'proven',
          error: undefined,
          remaining: [],
          unsupported: [],
        });
        expect(exitCode).toBe(0);
        expect(WRITABLE_FORMATS).toContain(result.inputs.migrationFormat);
        if (inFolder) expectToolLayout(result.inputs.migrationFormat, checkDir, result.written!, result.sql);
        else expect(readFileSync(migration, 'utf8')).toBe(result.sql);
        // The check itself, with the migration added: what a user runs next, reading the folder in the tool's
        // layout. For another tool than Flyway, on the embedded engine: the proof above applied the fix where
        // Flyway runs its next versioned migration (after the others, before any repeatable one), on every
        // engine, so what is left to check is the other tools' readers taking the file --write made.
        if (engine.name !== 'pglite' || result.inputs.migrationFormat === 'flyway') return;
        const check = await cli([...args, ...(inFolder ? [] : ['--migrations', migration]), '--no-cache', '--format', 'json'], checkDir);
        const report = JSON.parse(check.stdout) as Report;
        expect(report.findings.filter((f) => DRIFT.has(f.change)).map((f) => `${f.code} ${f.object}`)).toEqual([]);
        // What is left is not drift: rules about the reference's own indexes, or what the scenario reports
        // besides drift (a broken graphile-migrate hash chain), which a new migration does not change.
        const expected = JSON.parse(readFileSync(scenario.expectedPath, 'utf8')) as Expected;
        const notDrift = new Set((expected.findings ?? []).filter((f) => !DRIFT.has(f.change)).map((f) => `${f.code} ${f.object}`));
        const otherErrors = report.findings.filter((f) => f.severity === 'error' && !DRIFT.has(f.change));
        expect(otherErrors.filter((f) => f.change !== 'redundant' && !notDrift.has(`${f.code} ${f.object}`)).map((f) => `${f.code} ${f.object}`)).toEqual([]);
        expect(check.exitCode).toBe(otherErrors.length ? 1 : 0);
      });
    }
  });
}

/** What `fix --write` added (`written`, relative to `dir`), in the tool's own layout (the check proves the tool's reader takes it). */
function expectToolLayout(format: string, dir: string, written: string, sql: string): void {
  const wrote = join(dir, written);
  const text = readFileSync(wrote, 'utf8');
  switch (format) {
    case 'flyway':
      expect(wrote).toMatch(/\/V\d+__reconcile_reference\.sql$/);
      expect(text).toBe(sql);
      break;
    case 'golang-migrate':
      expect(wrote).toMatch(/\/\d+_reconcile_reference\.up\.sql$/);
      expect(text).toBe(sql);
      expect(existsSync(wrote.replace(/\.up\.sql$/, '.down.sql'))).toBe(true);
      break;
    case 'goose':
      expect(wrote).toMatch(/\/\d+_reconcile_reference\.sql$/);
      expect(text).toMatch(/^-- \+goose Up\n[^]*\n-- \+goose Down\n$/);
      break;
    case 'dbmate':
      expect(wrote).toMatch(/\/\d+_reconcile_reference\.sql$/);
      expect(text).toMatch(/^-- migrate:up( transaction:false)?\n/);
      break;
    case 'sqitch': {
      // A change as `sqitch add` makes one: deploy/revert/verify scripts with the templates' headers, a plan line.
      expect(wrote).toMatch(/\/deploy\/reconcile_reference\.sql$/);
      expect(text).toMatch(/^-- Deploy \S+:reconcile_reference to pg\n/);
      expect(readFileSync(join(dir, 'revert', 'reconcile_reference.sql'), 'utf8')).toMatch(/^-- Revert \S+:reconcile_reference from pg\n/);
      expect(readFileSync(join(dir, 'verify', 'reconcile_reference.sql'), 'utf8')).toMatch(/^-- Verify \S+:reconcile_reference on pg\n/);
      const plan = readFileSync(join(dir, 'sqitch.plan'), 'utf8').trimEnd().split('\n');
      expect(plan.at(-1)).toMatch(/^reconcile_reference \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ [^<]+ <[^>]+> # Reconcile the migrations with the reference schema \(verify-schema fix\)\.$/);
      break;
    }
    case 'graphile-migrate':
      // The uncommitted work the fix was computed after (--include-current) stays, the fix follows it.
      expect(text).toMatch(/^-- Enter migration here\nalter table app_public\.posts add column draft/);
      expect(text).toContain('-- Reconciles the migrations with the reference schema');
      break;
    case 'supabase':
      expect(wrote).toMatch(/\/supabase\/migrations\/\d{14}_reconcile_reference\.sql$/);
      break;
  }
}

function hasRepeatables(dir: string): boolean {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => /(^|\/)R__[^/]*\.sql$/.test(f));
}

const fixture = (name: string) => discoverScenarios().find((s) => s.name === name)!;

describe('fix: safety and output', () => {
  it('emits renames the diff found as ALTER … RENAME, never as a drop and a create', async () => {
    const s = fixture('renames');
    const { result } = await fix(scenarioArgs(s), s.dir);
    const renames = result.statements.filter((x) => x.action === 'rename').map((x) => x.sql);
    expect(renames).toEqual(
      expect.arrayContaining([
        'ALTER TABLE public.items RENAME CONSTRAINT items_owner_id_fkey TO items_owner_fk',
        'ALTER TABLE public.items RENAME CONSTRAINT items_price_check TO items_price_positive',
        'ALTER TABLE public.items RENAME CONSTRAINT items_sku_key TO items_sku_unique',
        'ALTER INDEX public.items_owner_id_idx RENAME TO items_owner_idx',
      ]),
    );
    const renamed = new Set(['items_owner_id_fkey', 'items_price_check', 'items_sku_key', 'items_owner_id_idx', 'items_owner_fk', 'items_price_positive', 'items_sku_unique', 'items_owner_idx']);
    expect(result.statements.filter((x) => x.action !== 'rename' && renamed.has(x.object.split('.').pop()!))).toEqual([]);
    expect(result.status).toBe('proven');
  });

  it('withholds what can lose data without --allow-data-loss, names each, and exits 1', async () => {
    const s = fixture('column-drift');
    const run = await cli(['fix', ...scenarioArgs(s), '--no-cache'], s.dir);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toMatch(/^ALTER TABLE public\.accounts DROP COLUMN/m);
    expect(run.stdout).toContain('-- Withheld (they can lose data; run with --allow-data-loss to include them):');
    expect(run.stderr).toContain('withheld: column public.accounts.legacy_flag: drops column public.accounts.legacy_flag and its data');
    const { result } = await fix(scenarioArgs(s), s.dir);
    expect(result.withheld.map((w) => w.sql)).toContain('ALTER TABLE public.accounts DROP COLUMN legacy_flag');
    expect(result.statements.some((x) => /DROP COLUMN/.test(x.sql))).toBe(false);
    expect(result.ok).toBe(false);
    const allowed = await fix([...scenarioArgs(s), '--allow-data-loss'], s.dir);
    expect(allowed.result.statements.map((x) => x.sql)).toContain('ALTER TABLE public.accounts DROP COLUMN legacy_flag');
    expect(allowed.exitCode).toBe(0);
  });

  it('proves the demo: the guide V006 equivalent, online forms, outside a transaction', async () => {
    const s = fixture('guide-without-v006');
    const run = await cli(['fix', ...scenarioArgs(s), '--no-cache'], s.dir);
    expect(run.stderr).toMatch(/✓ fix proven: 5 statements, outside a transaction/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('-- Proven: applied after the migrations on pglite');
    expect(run.stdout).toContain('-- Runs outside a transaction');
    const statements = run.stdout.split('\n').filter((l) => l && !l.startsWith('--')).join('\n');
    expect(statements).toBe(
      [
        "SET lock_timeout = '5s';",
        'DROP INDEX CONCURRENTLY public.idx_integration_connections_workspace;',
        'DROP INDEX CONCURRENTLY public.idx_integration_definitions_slug;',
        'DROP POLICY integration_connections_select_by_workspace ON public.integration_connections;',
        'ALTER TABLE public.entity_attribute_provenance ENABLE ROW LEVEL SECURITY;',
        'CREATE POLICY entity_attribute_provenance_workspace_access ON public.entity_attribute_provenance AS PERMISSIVE FOR ALL TO authenticated ' +
          'USING (entity_id IN (SELECT e.id FROM entities AS e JOIN workspace_members AS wm ON wm.workspace_id = e.workspace_id WHERE wm.user_id = auth.uid())) ' +
          'WITH CHECK (entity_id IN (SELECT e.id FROM entities AS e JOIN workspace_members AS wm ON wm.workspace_id = e.workspace_id WHERE wm.user_id = auth.uid()));',
      ].join('\n'),
    );
    expect(run.stderr).toMatch(/✓ fix proven: 5 statements, outside a transaction/);
    expect(run.stderr).not.toContain('lint:');
    const plain = await fix([...scenarioArgs(s), '--transactional'], s.dir);
    expect(plain.result.outsideTransaction).toBe(false);
    expect(plain.result.statements.map((x) => x.sql)).toContain('DROP INDEX public.idx_integration_definitions_slug');
    expect(plain.result.sql).toContain('-- Runs in one transaction');
    expect(plain.result.sql).toContain("\nSET LOCAL lock_timeout = '5s';\n");
    // The lint rules ran on the fix as it was applied: a plain DROP INDEX takes ACCESS EXCLUSIVE (the online form does not).
    expect(plain.result.proof.lint?.map((f) => f.code)).toContain('drop-index-not-concurrent');
    expect(plain.result.status).toBe('proven');
  });

  it('--write saves the next Flyway migration; nothing to fix writes nothing and says so', async () => {
    const s = fixture('foreign-key-action');
    const dir = tempDir('verify-schema-fix-write-');
    cpSync(join(s.dir, 'migrations'), join(dir, 'migrations'), { recursive: true });
    const before = readdirSync(join(dir, 'migrations')).sort();
    const run = await cli(['fix', '--reference', join(s.dir, 'reference'), '--migrations', join(dir, 'migrations'), '--write', '--no-cache'], dir);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const added = readdirSync(join(dir, 'migrations')).filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^V\d+__reconcile_reference\.sql$/);
    expect(run.stdout).toContain(`wrote migrations/${added[0]}`);
    const again = await cli(['fix', '--reference', join(s.dir, 'reference'), '--migrations', join(dir, 'migrations'), '--write', '--no-cache'], dir);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('✓ nothing to fix');
    expect(readdirSync(join(dir, 'migrations'))).toHaveLength(before.length + 1);
  });

  it('--write in other tools\' folders: never over uncommitted graphile-migrate work, Supabase timestamps sort last, Sqitch names stay unique', async () => {
    const fix = { sql: 'SELECT 1;\n', statements: ['SELECT 1'], outsideTransaction: false };
    const dir = tempDir('verify-schema-fix-layout-');
    mkdirSync(join(dir, 'migrations', 'committed'), { recursive: true });
    writeFileSync(join(dir, 'migrations', 'current.sql'), '-- Enter migration here\ncreate table wip (id int);\n');
    await expect(nextMigration('graphile-migrate', ['migrations'], dir, fix)).rejects.toThrow(
      '--write: migrations/current.sql holds uncommitted work the fix was not computed after; run fix with --include-current (the fix then follows it) or commit it first (graphile-migrate commit)',
    );
    expect((await nextMigration('graphile-migrate', ['migrations/committed'], dir, fix, { includeCurrent: true })).text).toMatch(/^-- Enter migration here\ncreate table wip \(id int\);\n\n-- verify-schema fix: .*\nSELECT 1;\n$/);
    writeFileSync(join(dir, 'migrations', 'current.sql'), '-- Enter migration here\n');
    expect((await nextMigration('graphile-migrate', ['migrations'], dir, fix)).text).not.toContain('Enter migration here');

    mkdirSync(join(dir, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(join(dir, 'supabase', 'migrations', '20990101000000_future.sql'), '');
    const now = new Date('2026-11-30T14:57:05Z');
    expect((await nextMigration('supabase', ['supabase/migrations'], dir, fix, { now })).path).toBe(join(dir, 'supabase', 'migrations', '20990101000001_reconcile_reference.sql'));
    rmSync(join(dir, 'supabase', 'migrations', '20990101000000_future.sql'));
    expect((await nextMigration('supabase', ['supabase/migrations'], dir, fix, { now })).path).toBe(join(dir, 'supabase', 'migrations', '20261130145705_reconcile_reference.sql'));

    const sqitch = join(dir, 'sqitch');
    cpSync(fixture('sqitch-drift').dir, sqitch, { recursive: true });
    writeFileSync(join(sqitch, 'sqitch.plan'), `${readFileSync(join(sqitch, 'sqitch.plan'), 'utf8')}reconcile_reference 2026-01-01T00:00:00Z A <a@b> # earlier fix\n`);
    const change = await nextMigration('sqitch', ['sqitch'], dir, { ...fix, outsideTransaction: true }, { now });
    expect(change.path).toBe(join(sqitch, 'deploy', 'reconcile_reference_2.sql'));
    // Outside a transaction (CONCURRENTLY): no BEGIN/COMMIT around it.
    expect(change.text).toBe('-- Deploy flipr:reconcile_reference_2 to pg\n\nSELECT 1;\n');
    expect(change.companions.find((c) => c.path.endsWith('sqitch.plan'))!.text).toMatch(/\nreconcile_reference_2 2026-11-30T14:57:05Z .+ # Reconcile/);
  });

  it('bad input: one line, exit 2', async () => {
    const s = fixture('foreign-key-action');
    const run = await cli(['fix', ...scenarioArgs(s), '--write', '--output', 'x.sql'], s.dir);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('verify-schema: error: fix takes --output FILE or --write, not both\n');
    expect(existsSync(join(s.dir, 'x.sql'))).toBe(false);
  });
});

/** Writes a small project (reference/schema.sql, migrations/V1__schema.sql) and returns its folder. */
function project(reference: string, migrations: string): string {
  const dir = tempDir('verify-schema-fix-project-');
  mkdirSync(join(dir, 'reference'));
  mkdirSync(join(dir, 'migrations'));
  writeFileSync(join(dir, 'reference', 'schema.sql'), reference);
  writeFileSync(join(dir, 'migrations', 'V1__schema.sql'), migrations);
  return dir;
}

describe('fix: quoting and dependency order', () => {
  it('quotes every name as Postgres requires: keywords, capitals, spaces, quotes in literals', async () => {
    const dir = project(
      `CREATE SCHEMA "Sales";
       CREATE TYPE "Sales"."Status" AS ENUM ('new', 'it''s done');
       CREATE TABLE "Sales"."order" (id int PRIMARY KEY, "user" int NOT NULL, "Select" text, status "Sales"."Status");
       CREATE INDEX "Order By User" ON "Sales"."order" ("user");
       CREATE TABLE "Sales".lines (id int PRIMARY KEY, "order" int CONSTRAINT "Lines→Order" REFERENCES "Sales"."order" (id));
       ALTER TABLE "Sales"."order" ENABLE ROW LEVEL SECURITY;
       CREATE POLICY "Only Mine" ON "Sales"."order" USING ("user" = 1);`,
      `CREATE SCHEMA "Sales";
       CREATE TYPE "Sales"."Status" AS ENUM ('new');
       CREATE TABLE "Sales"."order" (id int PRIMARY KEY, "user" int NOT NULL, status "Sales"."Status");`,
    );
    const { exitCode, result } = await fix(['--reference', 'reference', '--migrations', 'migrations'], dir);
    expect({ applied: result.proof.applied, error: result.proof.error, remaining: result.proof.remaining }).toEqual({ applied: true, error: undefined, remaining: [] });
    expect(exitCode).toBe(0);
    const sql = result.statements.map((s) => s.sql);
    expect(sql).toContain(`ALTER TYPE "Sales"."Status" ADD VALUE 'it''s done' AFTER 'new'`);
    expect(sql).toContain('ALTER TABLE "Sales"."order" ADD COLUMN "Select" text');
    expect(sql).toContain('CREATE INDEX CONCURRENTLY "Order By User" ON "Sales"."order" USING btree ("user")');
    expect(sql).toContain('ALTER TABLE "Sales"."order" ENABLE ROW LEVEL SECURITY');
    expect(sql).toContain(`CREATE POLICY "Only Mine" ON "Sales"."order" AS PERMISSIVE FOR ALL TO PUBLIC USING ("user" = 1)`);
    expect(sql.find((s) => s.startsWith('CREATE TABLE "Sales".lines'))).toBe('CREATE TABLE "Sales".lines (\n  id integer NOT NULL,\n  "order" integer\n)');
    // A new table gets its constraints in the plain form.
    expect(sql).toContain(`ALTER TABLE "Sales".lines ADD CONSTRAINT "Lines→Order" FOREIGN KEY ("order") REFERENCES "Sales"."order"(id)`);
    // The lint ran on the fix: it sets a lock_timeout before taking ACCESS EXCLUSIVE locks.
    expect(result.proof.lint).toBeDefined();
    expect(result.proof.lint!.map((f) => f.code)).not.toContain('lock-timeout-missing');
  });

  it('orders by what depends on what: views around a column type change, a function whose return type changes', async () => {
    const dir = project(
      `CREATE TABLE a (id int PRIMARY KEY, v numeric(12,2));
       CREATE VIEW v2_positive AS SELECT id, v FROM v1_all WHERE v > 0;
       CREATE VIEW v1_all AS SELECT id, v FROM a;
       CREATE FUNCTION total() RETURNS numeric LANGUAGE sql AS 'SELECT sum(v) FROM a';
       CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));`,
      `CREATE TABLE a (id int PRIMARY KEY, v integer);
       CREATE VIEW v1_all AS SELECT id, v FROM a;
       CREATE VIEW v2_positive AS SELECT id FROM v1_all;
       CREATE FUNCTION total() RETURNS bigint LANGUAGE sql AS 'SELECT sum(v) FROM a';
       CREATE TABLE b (id int PRIMARY KEY, a_id int);`,
    );
    const { exitCode, result } = await fix(['--reference', 'reference', '--migrations', 'migrations'], dir);
    expect({ applied: result.proof.applied, error: result.proof.error, remaining: result.proof.remaining }).toEqual({ applied: true, error: undefined, remaining: [] });
    expect(exitCode).toBe(0);
    // integer → numeric(12,2) keeps every value: not withheld.
    expect(result.withheld).toEqual([]);
    const sql = result.statements.map((s) => s.sql.split('\n')[0]);
    const at = (start: string) => {
      const i = sql.findIndex((s) => s.startsWith(start));
      expect(i, start).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(at('DROP VIEW public.v2_positive')).toBeLessThan(at('DROP VIEW public.v1_all'));
    expect(at('DROP VIEW public.v1_all')).toBeLessThan(at('ALTER TABLE public.a ALTER COLUMN v TYPE numeric(12,2)'));
    expect(at('ALTER TABLE public.a ALTER COLUMN v TYPE numeric(12,2)')).toBeLessThan(at('CREATE VIEW public.v1_all'));
    expect(at('CREATE VIEW public.v1_all')).toBeLessThan(at('CREATE VIEW public.v2_positive'));
    expect(at('DROP FUNCTION public.total()')).toBeLessThan(at('CREATE OR REPLACE FUNCTION public.total()'));
    expect(at('ALTER TABLE public.b ADD CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES a(id) NOT VALID')).toBeLessThan(at('ALTER TABLE public.b VALIDATE CONSTRAINT b_a_id_fkey'));
  });
});

describe('fix: rebuilding a table (column order, partition key)', () => {
  it('rebuilds with --allow-data-loss: rows copied, dependants dropped first and recreated, names freed; withheld without it', async () => {
    const table = (order: string, code: string) =>
      `CREATE TABLE "Order" (id serial PRIMARY KEY, ${order}, n int GENERATED ALWAYS AS IDENTITY, code ${code} UNIQUE);
       CREATE PUBLICATION orders_pub FOR TABLE "Order" (id, total);
       CREATE INDEX order_total_idx ON "Order" (total);
       CREATE TABLE line (id int PRIMARY KEY, order_id int REFERENCES "Order" (id));
       CREATE VIEW order_totals AS SELECT id, total FROM "Order";
       ALTER TABLE "Order" ENABLE ROW LEVEL SECURITY;
       CREATE POLICY p ON "Order" USING (total > 0);
       CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
       CREATE TRIGGER t1 BEFORE INSERT ON "Order" FOR EACH ROW EXECUTE FUNCTION trg();
       COMMENT ON TABLE "Order" IS 'orders';`;
    const dir = project(
      table('total numeric NOT NULL CHECK (total >= 0), note text', 'varchar(20)'),
      // Rows: the foreign key is validated again after the copy, which fails unless the rows were copied.
      `${table('note text, total numeric NOT NULL CHECK (total >= 0)', 'text')}
       INSERT INTO "Order" (note, total, code) VALUES ('x', 1, 'a'), ('y', 2, 'b');
       INSERT INTO line VALUES (1, 2);`,
    );
    const args = ['--reference', 'reference', '--migrations', 'migrations', '--strict-column-order', '--comments'];
    const withheld = await fix(args, dir);
    expect(withheld.exitCode).toBe(1);
    // Without the flag nothing around the table is touched: the rebuild is withheld as a whole.
    expect(withheld.result.statements).toEqual([]);
    expect(withheld.result.withheld[0]).toMatchObject({ sql: 'ALTER TABLE public."Order" RENAME TO "Order_before_rebuild"', reason: expect.stringMatching(/^rebuilds table public\."Order" \(column order differs\): copies its rows/) });

    const { exitCode, result } = await fix([...args, '--allow-data-loss'], dir);
    expect({ applied: result.proof.applied, error: result.proof.error, remaining: result.proof.remaining }).toEqual({ applied: true, error: undefined, remaining: [] });
    expect(exitCode).toBe(0);
    const sql = result.statements.map((x) => x.sql.split('\n')[0]);
    const at = (start: string) => {
      const i = sql.findIndex((x) => x.startsWith(start));
      expect(i, start).toBeGreaterThanOrEqual(0);
      return i;
    };
    const steps = [
      'DROP VIEW public.order_totals',
      'ALTER TABLE public."Order" RENAME TO "Order_before_rebuild"',
      'ALTER TABLE public."Order_before_rebuild" ALTER COLUMN n DROP IDENTITY',
      'CREATE TABLE public."Order" (',
      // A column whose type changes in the same fix is converted explicitly.
      'INSERT INTO public."Order" (id, total, note, n, code) OVERRIDING SYSTEM VALUE SELECT id, total, note, n, code::character varying(20) FROM public."Order_before_rebuild"',
      `SELECT setval(pg_get_serial_sequence('public."Order"', 'n'), coalesce(max(n), 0) + 1, false) FROM public."Order"`,
      'ALTER SEQUENCE public."Order_id_seq" OWNED BY NONE',
      'DROP TABLE public."Order_before_rebuild"',
      'ALTER SEQUENCE public."Order_id_seq" OWNED BY public."Order".id',
    ];
    for (let i = 1; i < steps.length; i++) expect(at(steps[i - 1]), steps[i]).toBeLessThan(at(steps[i]));
    expect(at('ALTER TABLE public.line DROP CONSTRAINT line_order_id_fkey')).toBeLessThan(at('ALTER TABLE public."Order" RENAME'));
    // Constraints and indexes take their names back once the old table is gone.
    for (const after of ['ALTER TABLE public."Order" ADD CONSTRAINT "Order_pkey" PRIMARY KEY (id)', 'CREATE INDEX order_total_idx', 'CREATE POLICY p ON public."Order"', 'CREATE TRIGGER t1', `COMMENT ON TABLE public."Order" IS 'orders'`]) {
      expect(at('DROP TABLE public."Order_before_rebuild"'), after).toBeLessThan(at(after));
    }
    expect(at('ALTER TABLE public."Order" ADD CONSTRAINT "Order_pkey"')).toBeLessThan(at('ALTER TABLE public.line ADD CONSTRAINT line_order_id_fkey'));
    // The publication that listed the table by name gets it back, with its column list.
    expect(at('DROP TABLE public."Order_before_rebuild"')).toBeLessThan(at('ALTER PUBLICATION orders_pub ADD TABLE public."Order" (id, total)'));
    // The sequence the serial column owns is kept, not created again.
    expect(sql.filter((x) => /SEQUENCE public\."Order_id_seq"/.test(x) && !x.includes('OWNED BY'))).toEqual([]);
  });

  it('does not generate the rebuild of a partitioned table that has partitions, and says what to do', async () => {
    const dir = project(
      `CREATE TABLE ev (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
       CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`,
      `CREATE TABLE ev (id bigint, at date NOT NULL) PARTITION BY LIST (at);
       CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES IN ('2024-01-01');`,
    );
    const { exitCode, result } = await fix(['--reference', 'reference', '--migrations', 'migrations', '--allow-data-loss'], dir);
    expect(exitCode).toBe(1);
    expect(result.status).toBe('not-proven');
    expect(result.unsupported).toContainEqual({ kind: 'table', object: 'public.ev', reason: expect.stringContaining('partition key differs: rebuilding a partitioned table with partitions (public.ev_2024) is not generated') });
    expect(result.statements.map((x) => x.sql).filter((x) => /public\.ev\b/.test(x) && /RENAME|DROP TABLE/.test(x))).toEqual([]);
  });
});

describe('fix --reference-side', () => {
  it('prints the DDL the reference lacks, grouped by the reference folder it belongs in, proven on the reference side', async () => {
    const s = fixture('guide-without-v006');
    const { exitCode, result } = await fix([...scenarioArgs(s), '--reference-side'], s.dir);
    expect(result.side).toBe('reference');
    expect({ applied: result.proof.applied, error: result.proof.error, remaining: result.proof.remaining }).toEqual({ applied: true, error: undefined, remaining: [] });
    expect(exitCode).toBe(0);
    expect(result.groups).toEqual([
      {
        folder: expect.stringMatching(/db\/schema\/02_indexes\/$/),
        statements: [
          'CREATE INDEX idx_integration_connections_workspace ON public.integration_connections USING btree (workspace_id)',
          'CREATE INDEX idx_integration_definitions_slug ON public.integration_definitions USING btree (slug)',
        ],
      },
      {
        folder: expect.stringMatching(/db\/schema\/05_rls\/$/),
        statements: [expect.stringMatching(/^CREATE POLICY integration_connections_select_by_workspace ON public\.integration_connections AS PERMISSIVE FOR SELECT TO authenticated USING /)],
      },
    ]);
    // Nothing is dropped or changed on the reference side: RLS and the FOR ALL policy the migrations lack are the other direction.
    expect(result.statements.every((x) => x.action === 'create')).toBe(true);
    expect(result.sql).toMatch(/-- \S*db\/schema\/02_indexes\/\nCREATE INDEX idx_integration_connections_workspace/);
  });
});

describe('fix and the cache', () => {
  it('proves the same fix when both catalogs come from the cache (no side is open then: the fix side is built from the checkpoint)', async () => {
    const dir = project(
      `CREATE TABLE a (id int PRIMARY KEY, name text NOT NULL);
       CREATE INDEX a_name ON a (name);
       CREATE VIEW a_names AS SELECT name FROM a;`,
      `CREATE TABLE a (id int PRIMARY KEY, name text);
       CREATE VIEW a_names AS SELECT id, name FROM a;`,
    );
    const options = { reference: ['reference'], migrations: ['migrations'], cwd: dir, cacheDir: tempDir('verify-schema-fix-cached-'), checkpointThresholdMs: 0 };
    const first = await fixSchema(options);
    const second = await fixSchema(options);
    for (const run of [first, second]) expect({ status: run.status, error: run.proof.error, remaining: run.proof.remaining }).toEqual({ status: 'proven', error: undefined, remaining: [] });
    expect(first.statements.map((s) => s.sql)).toEqual(expect.arrayContaining(['ALTER TABLE public.a ALTER COLUMN name SET NOT NULL', 'CREATE INDEX CONCURRENTLY a_name ON public.a USING btree (name)']));
    expect(second.sql).toBe(first.sql);
  });
});

describe('fix --write and Flyway repeatable migrations', () => {
  it('proves the next versioned migration where Flyway runs it, before the repeatable ones, and writes it only when proven', async () => {
    // The drift is in a table (the versioned migration can fix it) and in a view a repeatable migration defines (it cannot).
    const dir = project(`CREATE TABLE a (id int PRIMARY KEY, note text);\nCREATE VIEW a_ids AS SELECT id FROM a WHERE id > 1;\n`, `CREATE TABLE a (id int PRIMARY KEY);\n`);
    writeFileSync(join(dir, 'migrations', 'R__a_ids.sql'), 'CREATE OR REPLACE VIEW a_ids AS SELECT id FROM a;\n');
    const args = ['fix', '--reference', 'reference', '--migrations', 'migrations', '--write', '--no-cache'];
    const refused = await cli(args, dir);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain('the fix failed to apply as the next versioned migration, before the repeatable ones (migrations/R__a_ids.sql)');
    expect(refused.stdout).toContain('change that in migrations/R__a_ids.sql');
    expect(refused.stdout).toContain('nothing written: --write saves only a proven fix');
    expect(readdirSync(join(dir, 'migrations')).sort()).toEqual(['R__a_ids.sql', 'V1__schema.sql']);
    // --output places nothing: the fix is proven after every migration, as before.
    const printed = await fix(['--reference', 'reference', '--migrations', 'migrations'], dir);
    expect(printed.result.status).toBe('proven');
    expect(printed.result.proof.beforeRepeatables).toBeUndefined();

    // Once the repeatable migration has the view right, the rest is proven before it and written.
    writeFileSync(join(dir, 'migrations', 'R__a_ids.sql'), 'CREATE OR REPLACE VIEW a_ids AS SELECT id FROM a WHERE id > 1;\n');
    const written = await cli([...args, '--format', 'json'], dir);
    const result = JSON.parse(written.stdout) as FixResult;
    expect({ status: result.status, before: result.proof.beforeRepeatables, written: result.written }).toEqual({ status: 'proven', before: ['migrations/R__a_ids.sql'], written: 'migrations/V2__reconcile_reference.sql' });
    expect(readFileSync(join(dir, 'migrations', 'V2__reconcile_reference.sql'), 'utf8')).toContain('-- Proven: applied as the next versioned migration, before the repeatable ones (migrations/R__a_ids.sql)');
    const check = await cli(['--reference', 'reference', '--migrations', 'migrations', '--no-cache', '--format', 'json'], dir);
    expect((JSON.parse(check.stdout) as Report).findings.map((f) => `${f.code} ${f.object}`)).toEqual([]);
    expect(check.exitCode).toBe(0);
  });
});
