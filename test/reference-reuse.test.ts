import { describe, expect, it } from 'vitest';
import { planReferenceReuse, referenceManifest } from '../src/cache/reference-reuse.js';
import { parseSqlFile, type ParsedFile } from '../src/parse/parse-sql.js';

const parse = (files: Record<string, string>): Promise<ParsedFile[]> =>
  Promise.all(Object.entries(files).map(([displayPath, text]) => parseSqlFile({ path: `/p/${displayPath}`, displayPath, text })));

const BASE = {
  'tables.sql': 'CREATE TABLE parent (id bigint PRIMARY KEY);\nCREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id));\n',
  'indexes.sql': 'CREATE INDEX child_parent_idx ON child (parent_id);\n',
  'functions.sql': 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n',
};

/** The plan for the reference `files`, from the state of BASE (or `saved`). */
async function plan(files: Record<string, string>, saved: Record<string, string> = BASE) {
  return planReferenceReuse(await parse(files), referenceManifest('k', await parse(saved)));
}

describe('planReferenceReuse (which reference changes can start from the previous reference)', () => {
  it('reuses when the change only adds statements on new objects, naming existing ones', async () => {
    const added = 'CREATE TABLE pr_table (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id));\nCREATE INDEX pr_table_parent_idx ON pr_table (parent_id);\nCREATE TRIGGER pr_touch BEFORE UPDATE ON pr_table FOR EACH ROW EXECUTE FUNCTION touch();\n';
    const result = await plan({ ...BASE, 'tables.sql': BASE['tables.sql'] + added, 'zz_new.sql': 'CREATE VIEW pr_view AS SELECT id FROM parent;\n' });
    expect(result).toMatchObject({ reuse: true, count: 4 });
    if (!result.reuse) return;
    // Only the added statements are applied, each file keeping its own.
    expect(result.added.map((f) => [f.file.displayPath, f.statements.map((s) => s.type)])).toEqual([
      ['tables.sql', ['CreateStmt', 'IndexStmt', 'CreateTrigStmt']],
      ['zz_new.sql', ['ViewStmt']],
    ]);
  });

  it('rebuilds when a statement was edited or removed, or a file is gone', async () => {
    expect(await plan({ ...BASE, 'indexes.sql': 'CREATE INDEX child_parent_idx ON child (parent_id, id);\n' })).toMatchObject({ reuse: false, why: expect.stringContaining('changed or removed') });
    const { 'indexes.sql': _gone, ...rest } = BASE;
    expect(await plan(rest)).toEqual({ reuse: false, why: 'indexes.sql was removed' });
  });

  it('rebuilds when an added statement changes an object another statement names', async () => {
    // The unchanged index names child: a column added to it could change what depends on it.
    const alter = await plan({ ...BASE, 'tables.sql': `${BASE['tables.sql']}ALTER TABLE child ADD COLUMN note text;\n` });
    expect(alter).toMatchObject({ reuse: false });
    // A new object whose name (or a name derived from it: child_pkey) another statement already spells.
    const derived = await plan({ ...BASE, 'zz.sql': 'CREATE TABLE chi (id int);\n' });
    expect(derived).toMatchObject({ reuse: false, why: expect.stringContaining('another statement names chi') });
    // An index on an existing table.
    expect(await plan({ ...BASE, 'zz.sql': 'CREATE INDEX pr_idx ON parent (id);\n' })).toMatchObject({ reuse: false });
  });

  it('rebuilds when a statement reads what exists when it runs, or an added one copies a shape', async () => {
    const grantAll = { ...BASE, 'grants.sql': 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC;\n' };
    expect(await plan({ ...grantAll, 'zz.sql': 'CREATE TABLE pr_t (id int);\n' }, grantAll)).toMatchObject({ reuse: false, why: expect.stringContaining('every object of a schema') });
    const doBlock = { ...BASE, 'do.sql': "DO $$ BEGIN PERFORM 1; END $$;\n" };
    expect(await plan({ ...doBlock, 'zz.sql': 'CREATE TABLE pr_t (id int);\n' }, doBlock)).toMatchObject({ reuse: false, why: expect.stringContaining('DoStmt') });
    expect(await plan({ ...BASE, 'zz.sql': 'CREATE TABLE pr_t (LIKE parent INCLUDING ALL);\n' })).toMatchObject({ reuse: false });
    expect(await plan({ ...BASE, 'zz.sql': 'CREATE VIEW pr_v AS SELECT * FROM parent;\n' })).toMatchObject({ reuse: false });
    // A changed file that sets session settings: its SET would not reach the statements applied on their own.
    const withSet = { ...BASE, 'tables.sql': `SET search_path = public;\n${BASE['tables.sql']}` };
    expect(await plan({ ...withSet, 'tables.sql': `${withSet['tables.sql']}CREATE TABLE pr_t (id int);\n` }, withSet)).toMatchObject({ reuse: false, why: expect.stringContaining('session settings') });
  });

  it('rebuilds when an added statement names something defined twice (which one it resolves to may depend on order)', async () => {
    const overloads = { ...BASE, 'functions.sql': `${BASE['functions.sql']}CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE FUNCTION f(numeric) RETURNS int LANGUAGE sql AS 'SELECT 2';\n` };
    expect(await plan({ ...overloads, 'zz.sql': 'CREATE TABLE pr_t (id int DEFAULT f(1));\n' }, overloads)).toMatchObject({ reuse: false, why: expect.stringContaining('f is defined more than once') });
  });
});

describe('planReferenceReuse and the creation order of indexes', () => {
  it('rebuilds when two added indexes of one table could be made in another order by a full rebuild', async () => {
    const table = 'CREATE TABLE pr_t (id int, name text);\n';
    // The first index calls a function: in a full rebuild it may wait for a later file and come second.
    expect(await plan({ ...BASE, 'zz.sql': `${table}CREATE INDEX pr_a ON pr_t (lower(name));\nCREATE INDEX pr_b ON pr_t (name);\n` })).toMatchObject({ reuse: false, why: expect.stringContaining('another order') });
    // Plain column indexes cannot wait once the table exists.
    expect(await plan({ ...BASE, 'zz.sql': `${table}CREATE INDEX pr_a ON pr_t (name);\nCREATE INDEX pr_b ON pr_t (lower(name));\n` })).toMatchObject({ reuse: true, count: 3 });
  });
});
