import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { supabaseFormat } from '../src/inputs/formats/supabase.js';
import { resolveInputs } from '../src/inputs/resolve-inputs.js';
import { platformObjects, SUPABASE_PLATFORM } from '../src/platforms/platform.js';
import type { Report } from '../src/report/finding.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

function project(files: Record<string, string>): string {
  const dir = tempDir('verify-schema-supabase-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('supabase format', () => {
  it('is detected from supabase/migrations, orders <timestamp>_<name>.sql by name and skips other names; the reference defaults to supabase/schemas in schema_paths order', async () => {
    const dir = project({
      'supabase/config.toml': '[db]\nport = 54322\n\n[db.migrations]\nschema_paths = [\n  "./schemas/b/*.sql", # first\n  "./schemas/**/*.sql",\n]\n',
      'supabase/migrations/20240201000000_second.sql': 'select 2;',
      'supabase/migrations/20240101000000_first.sql': 'select 1;',
      'supabase/migrations/notes.sql': 'select 3;',
      'supabase/schemas/a.sql': 'select 1;',
      'supabase/schemas/b/z.sql': 'select 1;',
      'supabase/schemas/b/y.sql': 'select 1;',
    });
    const inputs = await resolveInputs({ reference: [], migrations: ['supabase/migrations'] }, { cwd: dir, env: {} });
    expect(inputs.migrationFormat).toBe('supabase');
    expect(inputs.migrations.map((m) => [m.version, m.description, m.transaction])).toEqual([
      ['20240101000000', 'first', true],
      ['20240201000000', 'second', true],
    ]);
    expect(inputs.reference.map((p) => p.slice(dir.length + 1))).toEqual(['supabase/schemas/b/y.sql', 'supabase/schemas/b/z.sql', 'supabase/schemas/a.sql']);
    expect(inputs.warnings).toContain('supabase/migrations/notes.sql: not run by the Supabase CLI: a migration is named <timestamp>_<name>.sql');
  });

  it('without schema_paths the reference is every .sql below supabase/schemas in path order; a plain migrations folder is not Supabase', async () => {
    const dir = project({ 'supabase/migrations/1_a.sql': 'select 1;', 'supabase/schemas/10_b.sql': 'select 1;', 'supabase/schemas/2_a.sql': 'select 1;', 'other/migrations/1_a.sql': 'select 1;' });
    const read = await supabaseFormat.read({ folder: join(dir, 'supabase/migrations'), files: [join(dir, 'supabase/migrations/1_a.sql')], explicit: false }, { cwd: dir, env: {} });
    expect(read.defaultReference?.map((p) => p.slice(dir.length + 1))).toEqual(['supabase/schemas/2_a.sql', 'supabase/schemas/10_b.sql']);
    expect(await supabaseFormat.detect({ folder: join(dir, 'other/migrations'), files: [join(dir, 'other/migrations/1_a.sql')], explicit: false })).toBeUndefined();
  });

  it('knows which objects the platform stand-in makes, and leaves the publication to be compared', async () => {
    const objects = await platformObjects(SUPABASE_PLATFORM);
    for (const id of ['schema\0auth', 'table\0auth.users', 'column\0auth.users.is_anonymous', 'function\0auth.uid', 'function\0storage.foldername', 'table\0storage.objects', 'extension\0pgcrypto', 'schema\0extensions']) {
      expect(objects.has(id), id).toBe(true);
    }
    expect(objects.has('publication\0supabase_realtime')).toBe(false);
  });

  it('runs with no flags at the project root: platform line in the report, platform objects never reported or listed', async () => {
    const dir = tempDir('verify-schema-supabase-run-');
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'supabase'), dir, { recursive: true });
    const json = await runCli(['--no-cache', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(json.stdout) as Report;
    expect(report.inputs).toMatchObject({ migrationFormat: 'supabase', platform: 'supabase', reference: ['supabase/schemas/types.sql', 'supabase/schemas/notes.sql', 'supabase/schemas/users.sql'] });
    expect(report.findings.filter((f) => f.code !== 'migration-untracked')).toEqual([]);
    // The project's own objects on platform tables are checked; the stand-in's are not.
    const checked = report.checked!.map((c) => `${c.kind} ${c.object}`);
    expect(checked).toEqual(expect.arrayContaining(['trigger auth.users.on_auth_user_created', 'policy storage.objects."avatar uploads"', 'publication supabase_realtime']));
    expect(checked.filter((c) => /^(table auth\.users|column auth\.users\.|function auth\.|table storage\.|schema (auth|storage|extensions)$|extension )/.test(c))).toEqual([]);
    expect(report.warnings).toContain('found without --migrations or a config: Supabase project (supabase/migrations), reference supabase/schemas/types.sql, supabase/schemas/notes.sql, supabase/schemas/users.sql; verify-schema init writes this to verify-schema.config.json');
    expect(report.warnings[0]).toMatch(/^Supabase platform stand-in provided on both sides \(not reported\): auth\.users, auth\.uid\(\)/);
  });
});
