import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ObjectKind } from '../src/catalog/catalog-object.js';
import { introspectCatalog } from '../src/catalog/introspect.js';
import { PgliteEngine } from '../src/engine/pglite-engine.js';
import { defaultCacheDir } from '../src/engine/cache-dir.js';
import { readSqlFile } from '../src/inputs/read-sql-file.js';
import { SourceLocator } from '../src/locations/source-locator.js';
import { makeObjectName } from '../src/locations/postgres-names.js';
import { parseSqlFile } from '../src/parse/parse-sql.js';
import { tempDir } from './helpers/temp-dir.js';

const dir = tempDir('verify-schema-locations-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `lines` joined by `eol` (with an optional BOM), reads and parses it as the pipeline does. */
async function locatorFor(name: string, lines: string[], eol = '\n', bom = false): Promise<SourceLocator> {
  const path = join(dir, name);
  writeFileSync(path, `${bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`);
  return new SourceLocator([await parseSqlFile(await readSqlFile(path))], dir);
}

const LONG_TABLE = 'a_table_name_long_enough_that_postgres_must_shorten_the_names';
const LONG_COLUMN = 'a_column_name_long_enough_to_be_shortened_too';

/** Line numbers matter: assertions below name them. */
const SQL = [
  /*  1 */ 'CREATE SCHEMA app;',
  /*  2 */ `CREATE TABLE app.${LONG_TABLE} (`,
  /*  3 */ '  id int PRIMARY KEY,',
  /*  4 */ `  ${LONG_COLUMN} int UNIQUE,`,
  /*  5 */ '  b int CHECK (b > 0),',
  /*  6 */ '  c int,',
  /*  7 */ `  d int REFERENCES app.${LONG_TABLE} (id),`,
  /*  8 */ '  CHECK (b < c),',
  /*  9 */ '  UNIQUE (b, c),',
  /* 10 */ `  FOREIGN KEY (c) REFERENCES app.${LONG_TABLE} (id)`,
  /* 11 */ ');',
  /* 12 */ 'SET search_path TO app;',
  /* 13 */ 'CREATE TABLE t2 (x int, y text); CREATE TABLE one (a int); CREATE TABLE two (b int);',
  /* 14 */ 'CREATE INDEX ON t2 (x, (lower(y)));',
  /* 15 */ 'CREATE UNIQUE INDEX ON t2 (y) INCLUDE (x);',
  /* 16 */ 'ALTER TABLE t2 ADD UNIQUE (x), ADD CONSTRAINT y_not_empty CHECK (y <> \'\');',
  /* 17 */ 'ALTER TABLE t2',
  /* 18 */ '  ENABLE ROW LEVEL SECURITY;',
  /* 19 */ 'CREATE POLICY p ON t2 USING (x > 0);',
  /* 20 */ 'CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;',
  /* 21 */ 'CREATE TRIGGER t2_touch BEFORE UPDATE ON t2 FOR EACH ROW EXECUTE FUNCTION trg();',
  /* 22 */ 'ALTER TABLE two RENAME TO three; ALTER TABLE one ALTER COLUMN a SET NOT NULL;',
  /* 23 */ 'CREATE FUNCTION add(a integer, b text) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;',
  /* 24 */ 'CREATE INDEX ON t2 ((x + 1));',
];

describe('source locations', () => {
  it('finds every object Postgres creates, auto-named constraints and indexes included (real Postgres)', async () => {
    const engine = await PgliteEngine.start({ cacheDir: defaultCacheDir(join(import.meta.dirname, '..')) });
    try {
      const db = await engine.createScratch({ label: 'locations', extensions: [] });
      try {
        await db.exec(SQL.join('\n'));
        const catalog = await introspectCatalog(db, { versionNum: engine.info.versionNum });
        const locator = await locatorFor('objects.sql', SQL);
        const unlocated: string[] = [];
        let count = 0;
        for (const [kind, objects] of catalog) {
          for (const key of objects.keys()) {
            if (kind === 'schema' && key === 'public') continue; // exists before any SQL runs
            count++;
            // No table passed: a constraint found only through its table's fallback would count as not found.
            if (!locator.find(kind, key)) unlocated.push(`${kind} ${key}`);
          }
        }
        expect(unlocated).toEqual([]);
        expect(count).toBeGreaterThan(25);
        // The names Postgres chose, as introspected, include the shortened ones.
        const constraints = [...catalog.get('constraint')!.keys()];
        expect(constraints).toContain(`app.${LONG_TABLE}.${makeObjectName(LONG_TABLE, LONG_COLUMN, 'key')}`);
        expect(makeObjectName(LONG_TABLE, LONG_COLUMN, 'key').length).toBe(63);
      } finally {
        await db.close();
      }
    } finally {
      await engine.close();
    }
  });

  it('points at the line of the column or constraint inside a statement, and at the statement otherwise', async () => {
    const l = await locatorFor('lines.sql', SQL);
    const t = `app.${LONG_TABLE}`;
    expect(l.find('table', t)).toMatchObject({ line: 2, column: 1, endLine: 11 });
    expect(l.find('column', `${t}.b`)).toMatchObject({ line: 5, column: 3 });
    expect(l.find('constraint', `${t}.${makeObjectName(LONG_TABLE, 'b', 'check')}`)).toMatchObject({ line: 5 });
    expect(l.find('constraint', `${t}.${LONG_TABLE.slice(0, 57)}_check`)).toMatchObject({ line: 8 });
    expect(l.find('constraint', `${t}.${makeObjectName(LONG_TABLE, 'b_c', 'key')}`)).toMatchObject({ line: 9 });
    expect(l.find('constraint', `${t}.${makeObjectName(LONG_TABLE, 'c', 'fkey')}`)).toMatchObject({ line: 10 });
    // Several statements on one line: same line, each its own column.
    expect(l.find('table', 'app.t2')).toMatchObject({ line: 17, endLine: 18 }); // last change: ENABLE ROW LEVEL SECURITY
    expect(l.find('table', 'app.one')).toMatchObject({ line: 13, column: 34 });
    expect(l.find('column', 'app.one.a')).toMatchObject({ line: 22, column: 34 });
    expect(l.find('table', 'app.three')).toMatchObject({ line: 22, column: 1 });
    expect(l.find('column', 'app.three.b')).toMatchObject({ line: 13 }); // columns move with a renamed table
    // Expression columns are named after their function, or "expr", as Postgres does.
    expect(l.find('index', 'app.t2_x_lower_idx')).toMatchObject({ line: 14 });
    expect(l.find('index', 'app.t2_expr_idx')).toMatchObject({ line: 24 });
    expect(l.find('index', 'app.t2_y_x_idx')).toMatchObject({ line: 15 });
    expect(l.find('constraint', 'app.t2.t2_x_key')).toMatchObject({ line: 16 });
    expect(l.find('policy', 'app.t2.p')).toMatchObject({ line: 19 });
    expect(l.find('trigger', 'app.t2.t2_touch')).toMatchObject({ line: 21 });
    // Functions: the catalog key has argument types; found by name.
    expect(l.find('function', 'app.add(integer, text)')).toMatchObject({ line: 23 });
    // Unknown children fall back to their table only when the table is given.
    expect(l.find('constraint', 'app.t2.t2_x_key1')).toBeUndefined();
    expect(l.find('constraint', 'app.t2.t2_x_key1', 'app.t2')).toMatchObject({ line: 17 });
  });

  it('gives the same lines for LF, CRLF and a file with a byte-order mark', async () => {
    const keys: Array<[ObjectKind, string]> = [
      ['table', `app.${LONG_TABLE}`],
      ['column', `app.${LONG_TABLE}.d`],
      ['table', 'app.two'],
      ['table', 'app.t2'],
      ['policy', 'app.t2.p'],
    ];
    const variants = await Promise.all([locatorFor('lf.sql', SQL), locatorFor('crlf.sql', SQL, '\r\n'), locatorFor('bom.sql', SQL, '\r\n', true), locatorFor('bom-lf.sql', SQL, '\n', true)]);
    const strip = (l: SourceLocator, kind: ObjectKind, key: string) => {
      const { file: _file, ...rest } = l.find(kind, key)!;
      return rest;
    };
    for (const [kind, key] of keys) {
      const expected = strip(variants[0], kind, key);
      for (const v of variants.slice(1)) expect(strip(v, kind, key)).toEqual(expected);
    }
    expect(strip(variants[2], 'column', `app.${LONG_TABLE}.d`)).toEqual({ line: 7, column: 3, endLine: 7 });
    expect(strip(variants[2], 'table', 'app.two')).toEqual({ line: 13, column: 60, endLine: 13 });
  });

  it('remembers which statement set each attribute, across renames', async () => {
    const l = await locatorFor('attributes.sql', [
      /* 1 */ 'CREATE TABLE p (id int, a int DEFAULT 1, k int) PARTITION BY RANGE (k);',
      /* 2 */ 'ALTER TABLE p ALTER COLUMN a SET DEFAULT 2;',
      /* 3 */ 'ALTER TABLE p ADD PRIMARY KEY (id, k);',
      /* 4 */ 'ALTER TABLE p RENAME COLUMN a TO b;',
      /* 5 */ 'ALTER TABLE p RENAME TO q;',
      /* 6 */ 'CREATE TABLE q1 (id int, b int, k int);',
      /* 7 */ 'ALTER TABLE q ATTACH PARTITION q1 FOR VALUES FROM (1) TO (2);',
      /* 8 */ 'ALTER TABLE q ENABLE ROW LEVEL SECURITY;',
    ]);
    expect(l.find('column', 'public.q.b', undefined, ['default'])).toMatchObject({ line: 2 });
    expect(l.find('column', 'public.q.b', undefined, ['type'])).toMatchObject({ line: 1 });
    expect(l.find('column', 'public.q.b')).toMatchObject({ line: 4 }); // last touched: its rename (it moved with its table)
    expect(l.find('column', 'public.q.id', undefined, ['nullable'])).toMatchObject({ line: 3 });
    expect(l.find('column', 'public.q.id', undefined, ['type'])).toMatchObject({ line: 1 });
    expect(l.find('table', 'public.q1', undefined, ['partitionOf'])).toMatchObject({ line: 7 });
    expect(l.find('table', 'public.q1', undefined, ['options'])).toMatchObject({ line: 6 });
    expect(l.find('table', 'public.q', undefined, ['partitionKey'])).toMatchObject({ line: 1 });
    expect(l.find('table', 'public.q', undefined, ['rowSecurity'])).toMatchObject({ line: 8 });
  });

  it('reports paths relative to the working directory', async () => {
    const l = await locatorFor('rel.sql', SQL);
    expect(l.find('table', 'app.t2')!.file).toBe('rel.sql');
  });
});
