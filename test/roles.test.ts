import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadParser } from '../src/parse/parse-sql.js';
import { statementRoles } from '../src/parse/statement-roles.js';
import type { Report } from '../src/report/finding.js';
import { runCli } from './helpers/run-cli.js';
import { leftoversOf, serverQuery, TEST_SERVER_URL } from './helpers/server.js';
import { tempDir } from './helpers/temp-dir.js';
import { parseSync } from 'libpg-query';
import { applyMigrations } from '../src/apply/apply-statements.js';
import { analyzeInputs } from '../src/apply/input-needs.js';
import { clusterRoles } from '../src/apply/prelude.js';
import { defaultCacheDir } from '../src/engine/cache-dir.js';
import { parseConnectionUrl } from '../src/engine/connection-url.js';
import { PgliteEngine } from '../src/engine/pglite-engine.js';
import type { Engine } from '../src/engine/scratch-database.js';
import { ServerEngine } from '../src/engine/server-engine.js';
import { parseSqlFile } from '../src/parse/parse-sql.js';

function rolesOf(sql: string): { referenced: string[]; created: string[] } {
  const stmt = (parseSync(sql) as any).stmts[0].stmt;
  const type = Object.keys(stmt)[0];
  const roles = statementRoles(type, stmt[type]);
  return { referenced: [...roles.referenced].sort(), created: [...roles.created].sort() };
}

describe('roles from the parse tree', () => {
  it('finds a role wherever Postgres accepts one, and the roles a DO block creates', async () => {
    await loadParser();
    const cases: [string, string[], string[]][] = [
      ['ALTER TABLE t OWNER TO o1', ['o1'], []],
      ['ALTER FUNCTION f() OWNER TO "Owner Two"', ['Owner Two'], []],
      ['ALTER DEFAULT PRIVILEGES FOR ROLE o2 IN SCHEMA s GRANT SELECT ON TABLES TO o3', ['o2', 'o3'], []],
      ['SET ROLE o4', ['o4'], []],
      ['SET SESSION AUTHORIZATION o5', ['o5'], []],
      ['SET ROLE NONE', [], []],
      ['CREATE SCHEMA s AUTHORIZATION o6', ['o6'], []],
      ['CREATE POLICY p ON t TO o7, public USING (true)', ['o7'], []],
      ['GRANT o8 TO o9', ['o8', 'o9'], []],
      ['REVOKE SELECT ON t FROM o10', ['o10'], []],
      ['REASSIGN OWNED BY o11 TO o12', ['o11', 'o12'], []],
      ['CREATE ROLE o13 IN ROLE o14', ['o14'], ['o13']],
      ['GRANT SELECT ON t TO CURRENT_USER, PUBLIC', [], []],
      [`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'o15') THEN CREATE ROLE o15 NOLOGIN; END IF; END $$`, [], ['o15']],
      [`DO $do$ BEGIN EXECUTE 'CREATE ROLE o16'; EXECUTE format('CREATE ROLE %I', 'O17'); ALTER TABLE t OWNER TO o18; EXCEPTION WHEN duplicate_object THEN GRANT o19 TO o20; END $do$`, ['o18', 'o19', 'o20'], ['O17', 'o16']],
      // Text that only looks like a role statement is not one.
      [`COMMENT ON TABLE t IS 'create role not_a_role'`, [], []],
      [`DO LANGUAGE plpython3u $$ plpy.execute("CREATE ROLE opaque") $$`, [], []],
    ];
    for (const [sql, referenced, created] of cases) expect({ sql, ...rolesOf(sql) }).toEqual({ sql, referenced, created });
  });
});

/** pg_dump-style owners, default privileges, SET ROLE, AUTHORIZATION, policies and DO-block roles on both sides. */
function ownersScenario(suffix: string): { dir: string; roles: string[] } {
  const [owner, reader, admin, dynamic, definer, setter, funcowner] = ['owner', 'reader', 'admin', 'dynamic', 'definer', 'setter', 'funcowner'].map((r) => `vs_test_${r}_${suffix}`);
  const dir = tempDir('verify-schema-roles-');
  const files: Record<string, string> = {
    'reference/schema.sql': `
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${admin}') THEN CREATE ROLE ${admin} NOLOGIN; END IF; END $$;
CREATE SCHEMA app AUTHORIZATION ${owner};
ALTER DEFAULT PRIVILEGES FOR ROLE ${definer} IN SCHEMA app GRANT SELECT ON TABLES TO ${reader};
CREATE TABLE app.items (id int PRIMARY KEY, name text);
ALTER TABLE app.items ENABLE ROW LEVEL SECURITY;
CREATE POLICY items_read ON app.items FOR SELECT TO ${reader} USING (true);
GRANT UPDATE ON app.items TO ${admin};
CREATE FUNCTION app.touch() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER FUNCTION app.touch() OWNER TO ${funcowner};
`,
    'migrations/V1__app.sql': `
DO $$ BEGIN EXECUTE format('CREATE ROLE %I NOLOGIN', '${dynamic}'); CREATE ROLE ${admin} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
ALTER SCHEMA app OWNER TO ${owner};
`,
    'migrations/V2__items.sql': `
ALTER DEFAULT PRIVILEGES FOR ROLE ${definer} IN SCHEMA app GRANT SELECT ON TABLES TO ${reader};
CREATE TABLE app.items (id int PRIMARY KEY, name text);
ALTER TABLE app.items ENABLE ROW LEVEL SECURITY;
CREATE POLICY items_read ON app.items FOR SELECT TO ${reader} USING (true);
GRANT UPDATE ON app.items TO ${admin};
SET ROLE ${setter};
RESET ROLE;
GRANT CREATE ON SCHEMA app TO ${funcowner};
SET SESSION AUTHORIZATION ${funcowner};
CREATE FUNCTION app.touch() RETURNS int LANGUAGE sql AS 'SELECT 1';
`,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, roles: [owner, reader, admin, dynamic, definer, setter, funcowner] };
}

const engines: [string, string[]][] = [['embedded', []], ...(TEST_SERVER_URL ? [['server', ['--database-url', TEST_SERVER_URL]] as [string, string[]]] : [])];

describe.each(engines)('roles named anywhere are made for the run (%s engine)', (engine, engineArgs) => {
  it('owners, default privileges, SET ROLE, AUTHORIZATION, policies and DO-block roles: no failure, no drift, nothing left behind', async () => {
    const suffix = `${process.pid}_${engine}`;
    const { dir, roles } = ownersScenario(suffix);
    const result = await runCli(['--reference', join(dir, 'reference'), '--migrations', join(dir, 'migrations'), '--no-cache', '--format', 'json', ...engineArgs], { cwd: dir });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((f) => `${f.code} ${f.object} ${f.message}`)).toEqual([]);
    expect(result.exitCode).toBe(0);
    if (engine === 'server') {
      expect(await leftoversOf(process.pid)).toEqual({ databases: [], roles: [] });
      expect(await serverQuery(`SELECT rolname FROM pg_roles WHERE rolname = ANY($1)`, [roles])).toEqual([]);
    }
  });
});

describe('roles are the same on both sides', () => {
  it('a role only the reference names exists on the migrations side too, as it would on one server', async () => {
    const role = `vs_test_only_ref_${process.pid}`;
    const dir = tempDir('verify-schema-roles-');
    mkdirSync(join(dir, 'reference'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'reference/schema.sql'), `CREATE TABLE t (id int);\nGRANT SELECT ON t TO ${role};\n`);
    // A migration that grants only to roles that exist (the name is computed, so nothing names the role).
    writeFileSync(
      join(dir, 'migrations/V1__t.sql'),
      `CREATE TABLE t (id int);\nDO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'vs_test_only_ref_' || '${process.pid}') THEN EXECUTE 'GRANT SELECT ON t TO ' || 'vs_test_only_ref_' || '${process.pid}'; END IF; END $$;\n`,
    );
    const result = await runCli(['--reference', join(dir, 'reference'), '--migrations', join(dir, 'migrations'), '--privileges', '--no-cache', '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as Report).findings.map((f) => `${f.code} ${f.object}`)).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});

const startEngines: [string, () => Promise<Engine>][] = [
  ['embedded', () => PgliteEngine.start({ cacheDir: defaultCacheDir() })],
  ...(TEST_SERVER_URL ? [['server', () => ServerEngine.start({ url: parseConnectionUrl(TEST_SERVER_URL!, 'VERIFY_SCHEMA_TEST_DATABASE_URL') })] as [string, () => Promise<Engine>]] : []),
];

describe.each(startEngines)('which statements an engine skips is read from the parse tree (%s engine)', (engine, start) => {
  it('a migration that creates roles still goes in one round trip; a server skips the CREATE ROLE of a role made for the run', async () => {
    const role = `vs_test_round_trip_${process.pid}_${engine}`;
    const text = `CREATE ROLE ${role} NOLOGIN;\nCREATE TABLE t (id int);\nGRANT SELECT ON t TO ${role};\n`;
    const parsed = await parseSqlFile({ path: 'V1__roles.sql', displayPath: 'V1__roles.sql', text });
    const started = await start();
    const db = await started.createScratch({ label: 'migrations', extensions: [] });
    try {
      await started.prepareRoles?.(clusterRoles(analyzeInputs([parsed])), db);
      const sent: string[] = [];
      const counting = new Proxy(db, {
        get: (target, key) => (key === 'exec' ? (sql: string) => (sent.push(sql), target.exec(sql)) : typeof (target as any)[key] === 'function' ? (target as any)[key].bind(target) : (target as any)[key]),
      });
      await applyMigrations(counting, [parsed]);
      expect(sent).toHaveLength(1);
      expect(sent[0].includes('CREATE ROLE')).toBe(engine === 'embedded');
      expect(await db.query(`SELECT has_table_privilege('${role}', 't', 'SELECT') AS granted`)).toEqual([{ granted: true }]);
    } finally {
      await db.close();
      await started.close();
    }
    if (engine === 'server') expect(await serverQuery(`SELECT rolname FROM pg_roles WHERE rolname = $1`, [role])).toEqual([]);
  });
});
