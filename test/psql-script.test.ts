import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainKeys } from '../src/cache/cache-keys.js';
import { InputError } from '../src/errors.js';
import { parseScript, readScripts } from '../src/parse/psql-script.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const file = (text: string, path = '/x/schema.sql') => ({ path, displayPath: path.slice(3), text });
const psql = { mode: 'psql' as const, cwd: '/x' };
const statements = async (text: string) => (await parseScript(file(text), psql)).statements.map((s) => [s.line, s.column, s.sql]);

/** Writes files under a fresh folder; returns the folder. */
function project(files: Record<string, string>): string {
  const dir = tempDir('verify-schema-psql-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('psql scripts', () => {
  it('ignores \\restrict/\\unrestrict and keeps every other line and column where it was', async () => {
    expect(await statements('\\restrict AbC123\n\nSET x.y = 1;\n  CREATE TABLE t (a int);\n\\unrestrict AbC123\n')).toEqual([
      [3, 1, 'SET x.y = 1'],
      [4, 3, 'CREATE TABLE t (a int)'],
    ]);
  });

  it('substitutes :name, :\'name\' and :"name" after \\set, but not in strings, comments, dollar quotes or casts', async () => {
    // After \unset, `:v` is left as psql leaves it, and is then a syntax error at its own place.
    await expect(statements("\\set v 1\nSELECT :v;\n\\unset v\nSELECT :v;")).rejects.toThrow(/^schema\.sql:4:8: syntax error/);
    expect(
      await statements(["\\set s 'my schema' ", "\\set t my schema", "\\set v 'it''s'", 'CREATE SCHEMA :"s";', 'CREATE SCHEMA :"t";', "SELECT :'v', ':v', 1::int; -- :v", "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT ':v' $$;"].join('\n')),
    ).toEqual([
      [4, 1, 'CREATE SCHEMA "my schema"'],
      // psql joins a \set's arguments without spaces.
      [5, 1, 'CREATE SCHEMA "myschema"'],
      [6, 1, "SELECT 'it''s', ':v', 1::int"],
      [7, 1, "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT ':v' $$"],
    ]);
  });

  it('follows \\ir and \\i relative to the including file; included statements keep their own file and line', async () => {
    const dir = project({
      'schema.sql': "\\set owner app_owner\nCREATE TABLE a (id int);\n\\ir tables/b.sql\nCREATE TABLE c (id int);\n",
      'tables/b.sql': '-- b\n\n\\i ../parts/d.sql\nCREATE TABLE b (id int);\nALTER TABLE b OWNER TO :"owner";\n',
      'parts/d.sql': 'CREATE TABLE d (id int);\n',
    });
    const parsed = await readScripts([join(dir, 'parts/d.sql'), join(dir, 'schema.sql'), join(dir, 'tables/b.sql')], { mode: 'psql', cwd: dir });
    // The included files are applied only where they are included, not also on their own.
    expect(parsed.map((p) => p.file.displayPath)).toEqual(['schema.sql']);
    expect(parsed[0].statements.map((s) => [s.file.displayPath, s.line, s.sql])).toEqual([
      ['schema.sql', 2, 'CREATE TABLE a (id int)'],
      ['parts/d.sql', 1, 'CREATE TABLE d (id int)'],
      ['tables/b.sql', 4, 'CREATE TABLE b (id int)'],
      ['tables/b.sql', 5, 'ALTER TABLE b OWNER TO "app_owner"'],
      ['schema.sql', 4, 'CREATE TABLE c (id int)'],
    ]);
    expect(parsed[0].included?.map((f) => f.displayPath)).toEqual(['tables/b.sql', 'parts/d.sql']);
  });

  it('an included file is part of its includer\'s cache key', async () => {
    const dir = project({ 'schema.sql': '\\ir part.sql\n', 'part.sql': 'CREATE TABLE p (a int);\n' });
    const key = async () => chainKeys('base', await readScripts([join(dir, 'schema.sql')], { mode: 'psql', cwd: dir }));
    const before = await key();
    writeFileSync(join(dir, 'part.sql'), 'CREATE TABLE p (a bigint);\n');
    expect(await key()).not.toEqual(before);
  });

  it('names a missing include and an include cycle at the \\i line', async () => {
    const dir = project({ 'a.sql': 'SELECT 1;\n\\ir b.sql\n', 'b.sql': '\\ir a.sql\n', 'c.sql': '\\i nope.sql\n' });
    await expect(readScripts([join(dir, 'a.sql')], { mode: 'psql', cwd: dir })).rejects.toThrow('b.sql:1:1: \\ir a.sql includes a file that is already being included (an include cycle)');
    await expect(readScripts([join(dir, 'c.sql')], { mode: 'psql', cwd: dir })).rejects.toThrow('c.sql:1:1: \\i nope.sql: file does not exist');
  });

  it('rejects any other meta-command in one line naming it, and every meta-command in a migration', async () => {
    const other = await parseScript(file('SELECT 1;\n\n\\connect other\n'), psql).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(InputError);
    expect((other as Error).message).toBe(
      'schema.sql:3:1: psql meta-command \\connect is not supported in a schema file (verify-schema understands \\i, \\ir, \\set, \\unset, \\restrict and \\unrestrict); remove the line',
    );
    await expect(parseScript(file('\\restrict k\nSELECT 1;\n', '/x/V1__a.sql'), { mode: 'none', cwd: '/x', runner: 'Flyway' })).rejects.toThrow(
      'V1__a.sql:1:1: psql meta-command \\restrict in a migration; Flyway sends SQL to the server as it is and cannot run it: remove the line',
    );
    // A backslash inside a string is not a meta-command.
    expect((await parseScript(file("SELECT E'a\\\\b', 'c\\d';"), { mode: 'none', cwd: '/x' })).statements).toHaveLength(1);
  });

  it('says what a Flyway placeholder is, in a reference and in a migration', async () => {
    for (const mode of ['psql', 'none'] as const) {
      const error = await parseScript(file('CREATE TABLE t (a int);\nGRANT SELECT ON t TO ${reader};\n'), { mode, cwd: '/x' }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/^schema\.sql:2:22: \$\{reader\} is a Flyway placeholder, which is not replaced in this file;/);
    }
    // Inside a string it is text, as it would be for psql.
    expect((await parseScript(file("SELECT '${x}';"), psql)).statements).toHaveLength(1);
  });

  it('turns pg_dump\'s CREATE SCHEMA public into a statement a database that has public can run', async () => {
    expect(await statements('CREATE SCHEMA public;\nALTER SCHEMA public OWNER TO pg_database_owner;\nCREATE SCHEMA app;')).toEqual([
      [1, 1, 'CREATE SCHEMA IF NOT EXISTS public'],
      [2, 1, 'ALTER SCHEMA public OWNER TO pg_database_owner'],
      [3, 1, 'CREATE SCHEMA app'],
    ]);
  });

  it('CLI: an unsupported meta-command in the reference is exit 2 with one line and no stack', async () => {
    const dir = project({ 'reference/s.sql': 'CREATE TABLE t (a int);\n\\copy t from data.csv\n', 'migrations/V1__t.sql': 'CREATE TABLE t (a int);\n' });
    const result = await runCli(['--reference', 'reference', '--migrations', 'migrations', '--no-cache'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(
      'verify-schema: error: reference/s.sql:2:1: psql meta-command \\copy is not supported in a schema file (verify-schema understands \\i, \\ir, \\set, \\unset, \\restrict and \\unrestrict); remove the line',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('psql scripts in a run', () => {
  it('points a finding in an included file at that file and line (fixtures/psql-includes)', async () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'psql-includes');
    const result = await runCli(['--reference', 'reference', '--migrations', 'migrations', '--no-cache', '--format', 'json'], { cwd: dir });
    const finding = JSON.parse(result.stdout).findings.find((f: { code: string }) => f.code === 'column-changed');
    expect(finding.location).toMatchObject({ file: 'reference/tables/items.sql', line: 3 });
  });
});
