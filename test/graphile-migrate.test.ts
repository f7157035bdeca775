import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGmrc } from '../src/inputs/formats/gmrc.js';
import { graphileHash, graphileMigrateFormat } from '../src/inputs/formats/graphile-migrate.js';
import { SESSION_TOKENS } from '../src/inputs/formats/migration-format.js';
import { resolveInputs } from '../src/inputs/resolve-inputs.js';
import { tempDir } from './helpers/temp-dir.js';

function project(files: Record<string, string>): string {
  const dir = tempDir('verify-schema-gm-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A committed migration file as `graphile-migrate commit` writes it. */
function committed(body: string, previous: string | null, message?: string): { text: string; hash: string } {
  const hash = graphileHash(`${body.trim()}\n`, previous);
  const headers = [`--! Previous: ${previous ?? '-'}`, `--! Hash: ${hash}`, ...(message ? [`--! Message: ${message}`] : [])];
  return { text: `${headers.join('\n')}\n\n${body.trim()}\n`, hash };
}

describe('graphile-migrate format', () => {
  it('reads .gmrc: placeholders (!ENV from the environment), pgSettings as the session, afterReset (! = root) before the migrations, :DATABASE_NAME/:DATABASE_OWNER', async () => {
    const one = committed('create table things (id int, owner text default \':DATABASE_OWNER\', db text default \':DATABASE_NAME\');\ngrant select on things to :DATABASE_VISITOR;', null);
    const dir = project({
      '.gmrc': `{ // JSON5
        pgSettings: { search_path: 'app_public,public', },
        placeholders: { ':DATABASE_VISITOR': '!ENV', ':SCHEMA': 'app_public' },
        afterReset: ['!afterReset.sql', { _: 'command', command: 'echo hi' }, { _: 'sql', file: 'shadow.sql', shadow: true }],
      }`,
      'migrations/afterReset.sql': 'create schema :SCHEMA;\n',
      'migrations/committed/000001-things.sql': one.text,
    });
    const inputs = await resolveInputs({ reference: ['migrations/afterReset.sql'], migrations: ['migrations'] }, { cwd: dir, env: { DATABASE_VISITOR: 'visitor' } });
    expect(inputs.migrationFormat).toBe('graphile-migrate');
    expect(inputs.migrationFormatSource).toBe('detected: .gmrc in ' + dir.split('/').pop() + '/');
    expect(inputs.setup.map((m) => [m.path.slice(dir.length), m.sql])).toEqual([['/migrations/afterReset.sql', 'create schema app_public;\n']]);
    const [migration] = inputs.migrations;
    // Header lines are blanked (lines stay the file's own); placeholders are replaced everywhere, also in strings.
    expect(migration.sql.split('\n').slice(0, 3)).toEqual(['', '', '']);
    expect(migration.sql).toContain(`owner text default '${SESSION_TOKENS.user}', db text default '${SESSION_TOKENS.database}'`);
    expect(migration.sql).toContain('grant select on things to visitor;');
    expect(migration).toMatchObject({ version: '000001', transaction: true, session: ["SELECT pg_catalog.set_config('search_path', 'app_public,public', false)"] });
    expect(inputs.findings).toEqual([]);
    expect(inputs.warnings).toContain('graphile-migrate afterReset command not run (verify-schema applies SQL only): echo hi');
  });

  it('DATABASE_OWNER is the databaseOwner setting, else the user of DATABASE_URL, else the DATABASE_OWNER variable', async () => {
    const dir = project({ '.gmrc': '{}', 'x/.gmrc': '{ "databaseOwner": "app_owner" }' });
    expect((await readGmrc(join(dir, 'x/.gmrc'), dir, {}, dir)).databaseOwner).toBe('app_owner');
    expect((await readGmrc(join(dir, '.gmrc'), dir, { DATABASE_URL: 'postgres://owner_from_url:pw@h/db' }, dir)).databaseOwner).toBe('owner_from_url');
    const one = committed('grant all on schema public to :DATABASE_OWNER;', null);
    const env = project({ '.gmrc': '{}', 'migrations/committed/000001.sql': one.text });
    const read = await graphileMigrateFormat.read({ folder: join(env, 'migrations'), files: [], explicit: false }, { cwd: env, env: { DATABASE_OWNER: 'env_owner' } });
    expect(read.migrations[0].sql).toContain('to env_owner;');
  });

  it('a missing !ENV variable and a JavaScript .gmrc are one line each that says what to do', async () => {
    const dir = project({ '.gmrc': '{ "placeholders": { ":DATABASE_AUTHENTICATOR": "!ENV" } }', 'js/.gmrc.js': 'module.exports = {};' });
    await expect(readGmrc(join(dir, '.gmrc'), dir, {}, dir)).rejects.toThrow(
      '.gmrc: placeholder :DATABASE_AUTHENTICATOR is "!ENV" but the environment variable DATABASE_AUTHENTICATOR is not set; set it (as for graphile-migrate), or give the value in verify-schema.config.json "placeholders"',
    );
    await expect(readGmrc(join(dir, 'js/.gmrc.js'), dir, {}, dir)).rejects.toThrow(/^js\/\.gmrc\.js: graphile-migrate config written in JavaScript, which verify-schema does not run; put its settings in a JSON5 \.gmrc/);
  });

  it('a broken --! Previous/--! Hash chain is a finding per break; --! AllowInvalidHash is respected; no-transaction is read from the body', async () => {
    const one = committed('create table a (id int);', null);
    const two = committed('--! no-transaction\ncreate index concurrently a_id on a (id);', one.hash);
    const edited = two.text.replace('a (id)', 'a (id desc)');
    const allowed = committed('create table c (id int);', two.hash).text.replace('--! Hash:', '--! AllowInvalidHash\n--! Hash:').replace('table c', 'table cc');
    const orphan = committed('create table d (id int);', 'sha1:0000');
    const dir = project({
      '.gmrc': '{}',
      'migrations/committed/000001.sql': one.text,
      'migrations/committed/000002.sql': edited,
      'migrations/committed/000003.sql': allowed,
      'migrations/committed/000004.sql': orphan.text,
      'migrations/current.sql': '-- Enter migration here\n',
    });
    const read = await graphileMigrateFormat.read({ folder: join(dir, 'migrations'), files: [], explicit: false }, { cwd: dir, env: {} });
    expect(read.migrations.map((m) => [m.version, m.transaction])).toEqual([['000001', true], ['000002', false], ['000003', true], ['000004', true]]);
    expect(read.findings?.map((f) => [f.code, f.object, f.migrationLocation?.line])).toEqual([
      ['migration-chain-broken', 'migrations/committed/000002.sql', 2],
      ['migration-chain-broken', 'migrations/committed/000004.sql', 1],
    ]);
    expect(read.findings?.[1].message).toBe(
      `migrations/committed/000004.sql: its --! Previous sha1:0000 is not the hash of 000003.sql (${allowed.match(/--! Hash: (\S+)/)![1]}); graphile-migrate refuses to run migrations past it`,
    );
    // A blank current.sql (graphile-migrate's own template) is nothing to mention.
    expect(read.notes?.some((n) => n.includes('current.sql'))).toBe(false);
  });

  it('is found at a project root by its .gmrc, with migrations/schema.sql (a dump kept there) as the reference', async () => {
    const dir = project({ '.gmrc': '{ "migrationsFolder": "./db/migrations" }', 'db/migrations/committed/000001.sql': committed('select 1;', null).text, 'db/migrations/schema.sql': 'select 1;' });
    expect(await graphileMigrateFormat.discoverProject!(dir)).toEqual({
      migrations: ['db/migrations'],
      migrationFormat: 'graphile-migrate',
      reference: ['db/migrations/schema.sql'],
      description: 'graphile-migrate project (.gmrc, db/migrations/committed)',
    });
    expect(await graphileMigrateFormat.discoverProject!(join(dir, 'db'))).toBeUndefined();
  });

  it('current.sql is applied only with --include-current', async () => {
    const dir = project({ '.gmrc': '{}', 'migrations/committed/000001.sql': committed('create table a (id int);', null).text, 'migrations/current.sql': 'alter table a add column b int;\n' });
    const input = { folder: join(dir, 'migrations'), files: [], explicit: false };
    const without = await graphileMigrateFormat.read(input, { cwd: dir, env: {} });
    expect(without.migrations).toHaveLength(1);
    expect(without.notes).toContain('migrations/current.sql not applied (the uncommitted migration); pass --include-current to verify it too');
    const withCurrent = await graphileMigrateFormat.read(input, { cwd: dir, env: {}, includeCurrent: true });
    expect(withCurrent.migrations.map((m) => m.path.slice(dir.length))).toEqual(['/migrations/committed/000001.sql', '/migrations/current.sql']);
  });
});
