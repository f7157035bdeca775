import { describe, expect, it } from 'vitest';
import { SqlApplyError } from '../src/errors.js';
import { parseSqlFile } from '../src/parse/parse-sql.js';

const file = (text: string) => ({ path: '/x/V1__t.sql', displayPath: 'V1__t.sql', text });
const where = async (text: string) => (await parseSqlFile(file(text))).statements.map((s) => [s.type, s.line, s.column, s.endLine, s.sql]);

describe('parseSqlFile', () => {
  it('keeps each statement with its line and column, skipping leading comments', async () => {
    expect(await where('-- header\n\nCREATE TABLE t (\n  id int\n);\n/* c */ SELECT 1; SELECT 2;\n')).toEqual([
      ['CreateStmt', 3, 1, 5, 'CREATE TABLE t (\n  id int\n)'],
      ['SelectStmt', 6, 9, 6, 'SELECT 1'],
      ['SelectStmt', 6, 19, 6, 'SELECT 2'],
    ]);
  });

  it('counts CRLF line endings once and handles multi-byte characters before a statement', async () => {
    expect(await where("SELECT 'é';\r\nSELECT 'ü';\r\n  SELECT 3;")).toEqual([
      ['SelectStmt', 1, 1, 1, "SELECT 'é'"],
      ['SelectStmt', 2, 1, 2, "SELECT 'ü'"],
      ['SelectStmt', 3, 3, 3, 'SELECT 3'],
    ]);
  });

  it('keeps dollar-quoted bodies and DO blocks whole', async () => {
    const rows = await where('DO $$ BEGIN PERFORM 1; END $$;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;');
    expect(rows.map((r) => r[0])).toEqual(['DoStmt', 'CreateFunctionStmt']);
  });

  it('reports a syntax error as path:line:column with the line and a caret', async () => {
    const error = await parseSqlFile(file("SELECT 'é';\nCREATE TABLE t (\n  id int,\n);")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlApplyError);
    expect((error as SqlApplyError).message).toBe('V1__t.sql:4:1: syntax error: at or near ")"');
    expect((error as SqlApplyError).excerpt).toBe('4 | );\n    ^');
  });
});

describe('parse trees from the cache folder (ParseTreeCache)', () => {
  it('gives the same statements as parsing, parses only what changed, and ignores a damaged file', async () => {
    const { ParseTreeCache } = await import('../src/cache/parse-trees.js');
    const { tempDir } = await import('./helpers/temp-dir.js');
    const { readdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = tempDir('vs-parses-');
    const file = { path: '/p/a.sql', displayPath: 'a.sql', text: "CREATE TABLE a (id int PRIMARY KEY, note text DEFAULT 'é');\n-- a comment\nCREATE INDEX ON a (note) WHERE note <> '';\n" };
    const fresh = await parseSqlFile(file);
    const first = await ParseTreeCache.load(dir);
    expect(await parseSqlFile(file, first)).toEqual(fresh);
    await first.save();
    const second = await ParseTreeCache.load(dir);
    expect(second.get(file.text)).toBeDefined();
    const fromCache = await parseSqlFile(file, second);
    expect(fromCache).toEqual(fresh);
    // Objects of its own: changing one parse's tree changes no other.
    fromCache.statements[0].node.changed = true;
    expect((await parseSqlFile(file, second)).statements[0].node.changed).toBeUndefined();
    // A damaged file is ignored: the text is parsed again.
    const { createHash } = await import('node:crypto');
    const key = createHash('sha256').update(file.text).digest('hex');
    for (const name of readdirSync(dir)) writeFileSync(join(dir, name), `garbage\n${key} {"stmts": [{"stm\n`);
    const damaged = await ParseTreeCache.load(dir);
    expect(await parseSqlFile(file, damaged)).toEqual(fresh);
    // … and the damaged line is replaced: the next run reads the tree from the file again.
    await damaged.save();
    const repaired = await ParseTreeCache.load(dir);
    expect(JSON.parse(repaired.get(file.text)!)).toEqual(JSON.parse(second.get(file.text)!));
  });
});
