import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMigrationFormat } from '../src/inputs/formats/detect-format.js';
import type { MigrationFormat, MigrationInput } from '../src/inputs/formats/migration-format.js';
import { MIGRATION_FORMATS } from '../src/inputs/formats/registry.js';
import { gooseFormat } from '../src/inputs/formats/goose.js';
import { dbmateFormat } from '../src/inputs/formats/dbmate.js';
import { golangMigrateFormat } from '../src/inputs/formats/golang-migrate.js';
import { parsePlan } from '../src/inputs/formats/sqitch.js';
import { findFlywayConfig } from '../src/inputs/formats/flyway-config.js';
import { discoverProject } from '../src/inputs/discover-project.js';
import type { Report } from '../src/report/finding.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

function project(files: Record<string, string>): string {
  const dir = tempDir('vs-formats-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** A stand-in format that claims any folder with a file ending in `.claim`: detection logic only, no SQL. */
const claimer: MigrationFormat = {
  name: 'goose',
  looksFor: '*.claim',
  async detect(input) {
    const n = input.files.filter((f) => f.endsWith('.claim')).length;
    return n ? `${n} .claim file${n === 1 ? '' : 's'}` : undefined;
  },
  async read() {
    return { migrations: [] };
  },
};

describe('migration format detection', () => {
  const input = (files: string[]): MigrationInput => ({ folder: '/p/migrations', files: files.map((f) => `/p/migrations/${f}`), explicit: false });

  it('one matching format is detected, with the evidence', async () => {
    const found = await detectMigrationFormat([input(['V1__a.sql', 'V2__b.sql'])], '/p', [...MIGRATION_FORMATS, claimer]);
    expect(found).toMatchObject({ how: 'detected', evidence: '2 files named V<version>__… or R__…' });
    expect(found.format.name).toBe('flyway');
    expect((await detectMigrationFormat([input(['x.claim'])], '/p', [...MIGRATION_FORMATS, claimer])).format.name).toBe('goose');
  });

  it('nothing recognisable falls back to flyway, as before formats existed', async () => {
    const found = await detectMigrationFormat([input(['notes.txt'])], '/p', [...MIGRATION_FORMATS, claimer]);
    expect(found).toMatchObject({ how: 'default' });
    expect(found.format.name).toBe('flyway');
  });

  it('a folder that looks like two tools is an error naming both candidates and why', async () => {
    await expect(detectMigrationFormat([input(['V1__a.sql', 'y.claim'])], '/p', [...MIGRATION_FORMATS, claimer])).rejects.toThrow(
      'the migrations in migrations look like more than one tool\'s: flyway (1 file named V<version>__… or R__…), goose (1 .claim file); pass --migration-format flyway|goose (or "migrationFormat" in the config)',
    );
  });
});

describe('--migration-format and "migrationFormat"', () => {
  const files = { 'ref/a.sql': 'CREATE TABLE t (id int);', 'mig/V1__a.sql': 'CREATE TABLE t (id int);' };

  it('the format is in the JSON inputs and in the text summary', async () => {
    const dir = project(files);
    const json = await runCli(['--reference', 'ref', '--migrations', 'mig', '--format', 'json', '--no-cache'], { cwd: dir });
    expect(json.exitCode).toBe(0);
    expect((JSON.parse(json.stdout) as Report).inputs.migrationFormat).toBe('flyway');
    const text = await runCli(['--reference', 'ref', '--migrations', 'mig', '--migration-format', 'flyway', '--no-cache'], { cwd: dir });
    expect(text.stdout).toMatch(/✓ no drift: reference \(1 file\) vs flyway migrations \(1 file\)/);
  });

  it('an unknown format name is one line, exit 2', async () => {
    const dir = project({ ...files, 'verify-schema.config.json': JSON.stringify({ reference: 'ref', migrations: 'mig', migrationFormat: 'liquibase' }) });
    const result = await runCli([], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe('verify-schema: error: verify-schema.config.json: migrationFormat must be one of "flyway", "golang-migrate", "goose", "dbmate", "graphile-migrate", "supabase", "sqitch", not "liquibase"');
  });
});

describe('format modules read their tool\'s files as the tool does', () => {
  const ctx = (cwd: string, env: NodeJS.ProcessEnv = {}) => ({ cwd, env });
  const folderInput = (dir: string, folder: string, files: string[]): MigrationInput => ({ folder: join(dir, folder), files: files.map((f) => join(dir, folder, f)), explicit: false });

  it('goose: only the Up part, on its own lines; NO TRANSACTION; ENVSUB with defaults; Go migrations reported', async () => {
    const dir = project({
      'm/00002_b.sql': '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\nDROP INDEX i;\n',
      'm/00001_a.sql': '-- header comment\n-- +goose Up\n-- +goose ENVSUB ON\nCREATE TABLE ${T:-t} (a int, b text DEFAULT \'$X\');\n-- +goose Down\nDROP TABLE t;\n',
      'm/00003_c.go': 'package m\n',
      'm/00004_d_test.go': 'package m\n',
    });
    const input = folderInput(dir, 'm', ['00001_a.sql', '00002_b.sql', '00003_c.go', '00004_d_test.go']);
    expect(await gooseFormat.detect(input)).toBe('2 files with -- +goose Up');
    const read = await gooseFormat.read(input, ctx(dir, { X: 'x' }));
    expect(read.migrations.map((m) => [m.version, m.transaction])).toEqual([['1', true], ['2', false]]);
    const a = read.migrations[0].sql.split('\n');
    expect(a).toHaveLength(7);
    expect(a[3]).toBe("CREATE TABLE t (a int, b text DEFAULT 'x');");
    expect(a[5].trim()).toBe('');
    expect(read.unapplied).toEqual([expect.objectContaining({ path: join(dir, 'm', '00003_c.go'), before: 2 })]);
  });

  it('goose: a file without -- +goose Up is refused, naming the file', async () => {
    const dir = project({ 'm/00001_a.sql': 'CREATE TABLE t (a int);\n' });
    await expect(gooseFormat.read(folderInput(dir, 'm', ['00001_a.sql']), ctx(dir))).rejects.toThrow('m/00001_a.sql: no -- +goose Up annotation');
  });

  it('dbmate: up blocks only, transaction:false per block, db/schema.sql as the default reference', async () => {
    const dir = project({
      'db/migrations/20240101000000_a.sql': '-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:down\nDROP TABLE t;\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\n',
      'db/schema.sql': 'CREATE TABLE t (a int);\n',
    });
    const read = await dbmateFormat.read(folderInput(dir, 'db/migrations', ['20240101000000_a.sql']), ctx(dir));
    expect(read.migrations.map((m) => m.transaction)).toEqual([true, false]);
    expect(read.migrations[0].sql.split('\n')[1]).toBe('CREATE TABLE t (a int);');
    expect(read.migrations[0].sql).not.toContain('CONCURRENTLY');
    expect(read.migrations[1].sql.split('\n')[5]).toBe('CREATE INDEX CONCURRENTLY i ON t (a);');
    expect(read.defaultReference).toEqual([join(dir, 'db', 'schema.sql')]);
    const noDown = project({ 'm/1_a.sql': '-- migrate:up\nSELECT 1;\n' });
    await expect(dbmateFormat.read(folderInput(noDown, 'm', ['1_a.sql']), ctx(noDown))).rejects.toThrow('m/1_a.sql:1: this -- migrate:up has no -- migrate:down after it');
  });

  it('golang-migrate: .up.sql in numeric version order, .down.sql never', async () => {
    const dir = project({ 'm/10_b.up.sql': 'SELECT 2;', 'm/10_b.down.sql': 'SELECT 0;', 'm/9_a.up.sql': 'SELECT 1;' });
    const read = await golangMigrateFormat.read(folderInput(dir, 'm', ['10_b.down.sql', '10_b.up.sql', '9_a.up.sql']), ctx(dir));
    expect(read.migrations.map((m) => m.version)).toEqual(['9', '10']);
    expect(read.migrations.every((m) => m.transaction === 'auto')).toBe(true);
  });

  it('sqitch: plan order; a reworked change deploys its earlier version from <change>@<tag>.sql', () => {
    const plan = '%project=p\n\na 2024-01-01T00:00:00Z X <x@y> # one\nb [a] 2024-01-01T00:00:00Z X <x@y>\n@v1 2024-01-01T00:00:00Z X <x@y>\nb [b@v1] 2024-01-02T00:00:00Z X <x@y> # reworked\n';
    expect(parsePlan(plan, 'sqitch.plan').map((c) => [c.name, c.tag])).toEqual([['a', undefined], ['b', 'v1'], ['b', undefined]]);
  });

  it('flyway: an unknown placeholder is one line naming it and where values come from', async () => {
    const dir = project({ 'ref/a.sql': 'CREATE TABLE t (id int);', 'mig/V1__a.sql': 'SELECT 1;\nCREATE TABLE ${schema_name}.t (id int);' });
    const result = await runCli(['--reference', 'ref', '--migrations', 'mig'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe('verify-schema: error: mig/V1__a.sql:2: no value for Flyway placeholder ${schema_name}; set "schema_name" in "placeholders" in verify-schema.config.json (or a flyway.conf / flyway.toml)');
  });

  it('flyway: flyway.toml placeholders and locations are read', async () => {
    const dir = project({ 'flyway.toml': '[flyway]\nlocations = ["filesystem:db/sql"]\n[flyway.placeholders]\nname = "x"\n' });
    const settings = await findFlywayConfig([dir], {}, dir);
    expect(settings).toMatchObject({ placeholders: { name: 'x' }, locations: [join(dir, 'db', 'sql')], replacePlaceholders: true });
  });
});

describe('a project root without flags or config', () => {
  it('finds the demo layout (db/schema, db/migration, db/baseline) and a dbmate project (db/migrations + db/schema.sql)', async () => {
    const demo = project({ 'db/schema/a.sql': 'SELECT 1;', 'db/migration/V1__a.sql': 'SELECT 1;', 'db/baseline/b.sql': 'SELECT 1;' });
    expect(await discoverProject(demo)).toEqual({
      migrations: ['db/migration'],
      migrationFormat: 'flyway',
      baseline: ['db/baseline'],
      reference: ['db/schema'],
      description: 'flyway migrations in db/migration/ (1 file named V<version>__… or R__…), baseline db/baseline, reference db/schema',
    });
    const dbmate = project({ 'db/migrations/20240101_a.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down\n', 'db/schema.sql': 'SELECT 1;' });
    expect(await discoverProject(dbmate)).toMatchObject({ migrations: ['db/migrations'], migrationFormat: 'dbmate', reference: ['db/schema.sql'] });
  });

  it('follows flyway.locations of a Flyway config at the root', async () => {
    const dir = project({ 'flyway.conf': 'flyway.locations=filesystem:sql/versions\n', 'sql/versions/V1__a.sql': 'SELECT 1;', 'schema.sql': 'SELECT 1;' });
    expect(await discoverProject(dir)).toMatchObject({ migrations: ['sql/versions'], migrationFormat: 'flyway', reference: ['schema.sql'] });
  });

  it('two candidate folders, no migrations, or no reference: one line saying what was looked for', async () => {
    const two = project({ 'migrations/00001_a.sql': '-- +goose Up\nSELECT 1;\n', 'db/migration/V1__a.sql': 'SELECT 1;' });
    await expect(discoverProject(two)).rejects.toThrow('found migrations in more than one folder: db/migration (flyway), migrations (goose); pass --migrations FOLDER');
    const none = project({ 'migrations/notes.txt': 'x' });
    await expect(discoverProject(none)).rejects.toThrow(/^no migrations found in .*: looked for a migrations folder with a known tool's files \(db\/migration, db\/migrations, migrations, sql\/migrations, database\/migrations, src\/main\/resources\/db\/migration\), a \.gmrc, a supabase\/migrations folder, a sqitch\.plan;/);
    const noReference = project({ 'migrations/1_a.up.sql': 'SELECT 1;' });
    const result = await runCli([], { cwd: noReference });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe('verify-schema: error: found golang-migrate migrations in migrations/ (1 file named {version}_{title}.up/down.sql), but no reference schema: looked for db/schema, db/schema.sql, schema, schema.sql, db/structure.sql, doc/schema.sql, sql/schema.sql, database/schema.sql; pass --reference PATH');
  });

  it('init writes the config for what it found, and never overwrites one without --force', async () => {
    const dir = project({ 'migrations/00001_a.sql': '-- +goose Up\nCREATE TABLE t (a int);\n-- +goose Down\nDROP TABLE t;\n', 'schema.sql': 'CREATE TABLE t (a int);' });
    const first = await runCli(['init'], { cwd: dir });
    expect(first).toMatchObject({ exitCode: 0, stderr: '' });
    expect(first.stdout).toBe('wrote verify-schema.config.json: goose migrations in migrations/ (1 file with -- +goose Up), reference schema.sql\n');
    const written = JSON.parse(readFileSync(join(dir, 'verify-schema.config.json'), 'utf8'));
    expect(written).toEqual({ $schema: './node_modules/verify-schema/schema/verify-schema.config.schema.json', reference: ['schema.sql'], migrations: ['migrations'], migrationFormat: 'goose' });
    writeFileSync(join(dir, 'verify-schema.config.json'), '{ "reference": "mine" }');
    const again = await runCli(['init'], { cwd: dir });
    expect(again.exitCode).toBe(2);
    expect(again.stderr.trim()).toBe('verify-schema: error: verify-schema.config.json already exists; it was left as it is — pass --force to overwrite it');
    expect(readFileSync(join(dir, 'verify-schema.config.json'), 'utf8')).toBe('{ "reference": "mine" }');
    expect((await runCli(['init', '--force'], { cwd: dir })).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'verify-schema.config.json'), 'utf8')).migrationFormat).toBe('goose');
  });
});

describe('flyway.defaultSchema / flyway.schemas', () => {
  it('migrations run with the default schema first on the search_path, after Flyway creates the schemas it manages', async () => {
    const dir = project({
      'flyway.conf': 'flyway.url=jdbc:postgresql://localhost/app\nflyway.schemas=app,audit\n',
      'sql/V1__t.sql': 'CREATE TABLE t (id int);\nCREATE VIEW v AS SELECT id FROM t;\n',
      'ref/schema.sql': 'CREATE SCHEMA app;\nCREATE SCHEMA audit;\nCREATE TABLE app.t (id int);\nCREATE VIEW app.v AS SELECT id FROM app.t;\n',
    });
    const result = await runCli(['--reference', 'ref', '--migrations', 'sql', '--no-cache', '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.filter((f) => f.code !== 'migration-untracked')).toEqual([]);
    expect(report.warnings).toContain('Flyway config flyway.conf read (0 placeholders; migrations run with app first on the search_path, after creating app, audit when missing)');
    expect(result.exitCode).toBe(0);
  });
});
