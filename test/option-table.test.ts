import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../src/report/finding-codes.js';
import { configJsonSchema } from '../src/settings/config-schema.js';
import { flagOf } from '../src/settings/option-spec.js';
import { OPTION_TABLE } from '../src/settings/option-table.js';
import { UPDATING_GOLDENS } from './helpers/fixtures.js';

const SCHEMA = join(import.meta.dirname, '..', 'schema', 'verify-schema.config.schema.json');

describe('the option table', () => {
  it('generates the committed config schema (UPDATE_GOLDENS=1 rewrites it)', () => {
    const generated = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
    if (UPDATING_GOLDENS) writeFileSync(SCHEMA, generated);
    expect(readFileSync(SCHEMA, 'utf8'), 'schema/verify-schema.config.schema.json is stale: run UPDATE_GOLDENS=1 npx vitest run test/option-table.test.ts').toBe(generated);
  });

  it('generates --help: every flag with its help line, and the finding codes', () => {
    // yargs prints help to the process's stdout: run the built CLI (npm test builds it first).
    const help = execFileSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'verify-schema.js'), '--help'], { encoding: 'utf8' });
    for (const o of OPTION_TABLE) {
      const flag = flagOf(o);
      if (!flag) continue;
      expect(help, flag).toContain(`--${flag}`);
      expect(help.replace(/\s+/g, ' '), flag).toContain(o.help.slice(0, 30));
    }
    for (const code of ['index-duplicate', 'migration-edited', 'reference-file-unlisted', 'table-rewrite']) expect(help).toContain(code);
  });
});

describe('the finding-code registry', () => {
  it('declares each code once, with a title, a severity and a doc page that ships', () => {
    const codes = FINDING_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    const root = join(import.meta.dirname, '..');
    for (const c of FINDING_CODES) {
      expect(c.title, c.code).toMatch(/^[A-Z].{10,}/);
      expect(['error', 'warning', 'info']).toContain(c.severity);
      expect(() => readFileSync(join(root, c.doc.replace(/#.*$/, ''))), c.doc).not.toThrow();
    }
  });

  it('refuses a code it does not know in the config, and accepts every code it lists', async () => {
    const { validateConfig } = await import('../src/inputs/config.js');
    expect(() => validateConfig({ severity: { 'index-dupe': 'error' } }, 'c.json', '/')).toThrow('c.json: severity.index-dupe: unknown finding code');
    expect(() => validateConfig({ severity: Object.fromEntries(FINDING_CODES.map((c) => [c.code, 'info'])) }, 'c.json', '/')).not.toThrow();
  });
});
