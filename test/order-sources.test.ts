import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractOrder, orderFormOf } from '../src/inputs/order-sources/extract-order.js';
import { readMakefile } from '../src/inputs/order-sources/makefile.js';
import { readMarkdown } from '../src/inputs/order-sources/markdown.js';
import type { ExtractedOrder } from '../src/inputs/order-sources/order-entry.js';
import { readPlainList } from '../src/inputs/order-sources/plain-list.js';
import { readPsqlLines } from '../src/inputs/order-sources/psql-script.js';
import { readShellScript } from '../src/inputs/order-sources/shell-script.js';

/** path@line, and >runLine when the command that runs it is elsewhere. */
const paths = (order: ExtractedOrder) => order.entries.map((e) => `${e.path}@${e.line}${e.runLine !== e.line ? `>${e.runLine}` : ''}${e.glob ? ' (glob)' : ''}`);

const DEMO_README = readFileSync(join(import.meta.dirname, '..', 'db', 'schema', 'README.md'), 'utf8');

describe('shell scripts', () => {
  it('expands bash arrays in the order the loop uses them, each path at its own line, $SCHEMA_DIR/ dropped', () => {
    const script = [
      '#!/usr/bin/env bash', // 1
      'set -euo pipefail',
      'SCHEMA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
      'TABLES=(',
      '  "01_tables/a.sql"', // 5
      "  '01_tables/b.sql'  # comment",
      ')',
      'INDEXES=( 02_indexes/i.sql )',
      'RLS=("05_rls/r.sql")',
      'NEVER=("09_unused/x.sql")', // 10
      'TABLES+=("01_tables/c.sql")',
      'for f in "${INDEXES[@]}" "${TABLES[@]}" "${RLS[@]}"; do',
      '  echo "Applying $f"',
      '  psql -v ON_ERROR_STOP=1 -d "$DB_NAME" -f "$SCHEMA_DIR/$f"',
      'done',
    ].join('\n');
    expect(paths(readShellScript(script))).toEqual(['02_indexes/i.sql@8>14', '01_tables/a.sql@5>14', '01_tables/b.sql@6>14', '01_tables/c.sql@11>14', '05_rls/r.sql@9>14']);
  });

  it('reads psql -f / --file / < / cat | psql / here-documents, functions with arguments, and skips what it cannot know', () => {
    const script = [
      'DIR=db/schema', // 1
      'psql -d app -f 01_a.sql',
      'psql --file=02_b.sql -q',
      'psql -qXf 03_c.sql',
      'psql app < "$DIR/04_d.sql"', // 5
      'cat 05_e.sql 06_f.sql | psql app',
      'psql app <<SQL',
      '\\i 07_g.sql',
      '\\ir $DIR/08_h.sql',
      'SQL', // 10
      'apply() { psql -v ON_ERROR_STOP=1 -f "$1"; }',
      'apply 09_i.sql',
      'psql -f "$(ls | head -1)"',
      'psql -f seed.csv',
      'if [ -n "${WITH_RLS:-}" ]; then psql -f 10_rls.sql; fi', // 15
      'psql -f "${EXTRA:-11_default.sql}"',
      'for f in 12_*.sql; do psql -f "$f"; done',
    ].join('\n');
    const order = readShellScript(script);
    expect(paths(order)).toEqual([
      '01_a.sql@2',
      '02_b.sql@3',
      '03_c.sql@4',
      'db/schema/04_d.sql@5',
      '05_e.sql@6',
      '06_f.sql@6',
      '07_g.sql@8',
      'db/schema/08_h.sql@9',
      '09_i.sql@12>11',
      '10_rls.sql@15',
      '11_default.sql@16',
      '12_*.sql@17 (glob)',
    ]);
    expect(order.notes.join('\n')).toContain('line 13: -f $(ls | head -1) skipped: its folder $(ls | head -1) is computed by the script');
    expect(order.notes.join('\n')).toContain('line 14: -f seed.csv skipped: not a .sql path');
  });

  it('a command-line comment, an unquoted variable holding several paths, and line continuations', () => {
    const script = ['FILES="a.sql b.sql"', '# psql -f commented.sql', 'for f in $FILES; do \\', '  psql \\', '    -f "$f"; done'].join('\n');
    expect(paths(readShellScript(script))).toEqual(['a.sql@1>4', 'b.sql@1>4']);
  });
});

describe('Markdown', () => {
  it('reads only the shell code block of the demo README: its ten files in array order', () => {
    const order = readMarkdown(DEMO_README);
    expect(order.entries.map((e) => e.path)).toEqual([
      '01_tables/01_core.sql',
      '01_tables/02_integrations.sql',
      '01_tables/03_entities.sql',
      '02_indexes/core_indexes.sql',
      '02_indexes/entity_indexes.sql',
      '02_indexes/integration_indexes.sql',
      '03_functions/update_updated_at_column.sql',
      '04_triggers/integration_triggers.sql',
      '05_rls/entity_rls.sql',
      '05_rls/integration_rls.sql',
    ]);
    const lines = DEMO_README.split('\n');
    for (const e of order.entries) {
      expect(lines[e.line - 1]).toContain(`"${e.path}"`);
      expect(lines[e.runLine - 1]).toContain('psql -v ON_ERROR_STOP=1');
    }
  });

  it('ignores prose, lists of files, unmarked and non-shell blocks; takes \\i from SQL blocks; a file shown twice counts once', () => {
    const md = [
      '# Setup', // 1
      'Run `psql -f 00_prose.sql` first? No: prose is not a script.',
      '- 01_tables/listed_in_prose.sql',
      '```',
      'psql -f unmarked.sql', // 5
      '```',
      '```sql',
      'CREATE TABLE not_a_path (id int);',
      '\\i 01_tables/a.sql',
      '```', // 10
      '~~~bash',
      'psql -f 01_tables/a.sql',
      'psql -f 02_b.sql',
      '~~~',
      '```console', // 15
      '$ psql -f 03_c.sql',
      'psql -f output_line.sql',
      '```',
      '```json',
      '{"psql": "-f x.sql"}', // 20
      '```',
    ].join('\n');
    const order = readMarkdown(md);
    expect(paths(order)).toEqual(['01_tables/a.sql@9', '02_b.sql@13', '03_c.sql@16']);
    expect(order.notes.join('\n')).toContain('1 code block without a language ignored');
    expect(order.notes.join('\n')).toContain('1 already run by an earlier block');
  });
});

describe('psql scripts, Makefiles and plain lists', () => {
  it('psql: \\i, \\ir, \\include with quotes; SQL and variables skipped', () => {
    const order = readPsqlLines(["\\set ON_ERROR_STOP on", "\\i 01_a.sql", "  \\ir 'sub dir/02 b.sql'", 'SELECT 1;', '\\include_relative 03_c.sql', '\\i :dir/04.sql'].join('\n'));
    expect(paths(order)).toEqual(['01_a.sql@2', 'sub dir/02 b.sql@3', '03_c.sql@5']);
    expect(order.notes).toEqual(['line 6: :dir/04.sql skipped: it names a psql variable']);
  });

  it('Makefile: the default goal and its prerequisites, make variables and functions, $$ for the shell', () => {
    const makefile = [
      'SCHEMA_DIR := db/schema', // 1
      'TABLES = 01_tables/a.sql \\',
      '         01_tables/b.sql',
      'INDEXES = $(addprefix 02_indexes/,i1.sql i2.sql)',
      '', // 5
      '.PHONY: setup tables',
      'setup: tables indexes',
      '\t@psql -f $(SCHEMA_DIR)/05_rls/r.sql',
      '',
      'tables:', // 10
      '\tfor f in $(TABLES); do \\',
      '\t  psql -v ON_ERROR_STOP=1 -f $(SCHEMA_DIR)/$$f; \\',
      '\tdone',
      'indexes: $(INDEXES)',
      '\t$(foreach f,$^,psql -f $(f);)', // 15
      'clean:',
      '\tpsql -f drop_everything.sql',
    ].join('\n');
    const order = readMakefile(makefile);
    expect(paths(order)).toEqual([
      'db/schema/01_tables/a.sql@2>12',
      'db/schema/01_tables/b.sql@3>12',
      '02_indexes/i1.sql@4>15',
      '02_indexes/i2.sql@4>15',
      'db/schema/05_rls/r.sql@8',
    ]);
  });

  it('Makefile: a default goal that runs no .sql file falls back to the first target that does', () => {
    const order = readMakefile(['help:', '\t@echo "make db"', 'db:', '\tpsql -f $(DIR)/a.sql'].join('\n'));
    expect(paths(order)).toEqual(['a.sql@4']);
    expect(order.notes.join('\n')).toContain('target db (line 3) does');
  });

  it('plain list: one path per line, # comments, CRLF; a line that is not a .sql path is skipped', () => {
    const order = readPlainList('# order\r\n01_tables/a.sql\r\n\r\n02_indexes/\r\n  03_c.sql  \r\n');
    expect(paths(order)).toEqual(['01_tables/a.sql@2', '03_c.sql@5']);
    expect(order.notes).toEqual(['line 4: 02_indexes/ skipped: not a .sql path']);
  });

  it('the form comes from the name, else from the content', () => {
    expect(orderFormOf('db/schema/README.md', '')).toBe('markdown');
    expect(orderFormOf('setup.sh', '')).toBe('shell');
    expect(orderFormOf('Makefile', '')).toBe('makefile');
    expect(orderFormOf('schema.mk', '')).toBe('makefile');
    expect(orderFormOf('setup.psql', '')).toBe('psql');
    expect(orderFormOf('order.txt', '01_a.sql\n02_b.sql\n')).toBe('list');
    expect(orderFormOf('setup', '#!/bin/sh\npsql -f a.sql\n')).toBe('shell');
    expect(orderFormOf('order', '\\i a.sql\n')).toBe('psql');
    expect(orderFormOf('build', 'setup:\n\tpsql -f a.sql\n')).toBe('makefile');
    expect(orderFormOf('order', 'for f in a.sql; do psql -f $f; done\n')).toBe('shell');
    expect(extractOrder('order.txt', 'a.sql\n').form).toBe('list');
  });
});
