import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMigrationFormat } from '../src/inputs/formats/detect-format.js';
import type { MigrationFormat, MigrationInput } from '../src/inputs/formats/migration-format.js';
import { MIGRATION_FORMATS } from '../src/inputs/formats/registry.js';
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
