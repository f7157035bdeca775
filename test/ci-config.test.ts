import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { KNOWN_CONFIG_KEYS, validateConfig } from '../src/inputs/config.js';
import type { Finding } from '../src/report/finding.js';
import { applyIgnoreRules } from '../src/report/ignore.js';
import { pairReportTargets, reportFlags } from '../src/report/render-report.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const temp = tempDir('verify-schema-config-');
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema', 'verify-schema.config.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const schemaAccepts = ajv.compile(schema);
const validatorAccepts = (raw: unknown) => {
  try {
    validateConfig(raw, 'c.json', temp);
    return true;
  } catch {
    return false;
  }
};

describe('config file', () => {
  it('the shipped JSON Schema and the validator know the same keys', () => {
    expect(Object.keys(schema.properties).filter((k) => k !== '$schema').sort()).toEqual([...KNOWN_CONFIG_KEYS].sort());
  });

  // Each value is judged the same way by the editor's schema and by the validator.
  const cases: Array<[string, unknown, boolean]> = [
    ['full config', { $schema: './schema.json', reference: 'db/schema', migrations: ['db/migration'], failOn: 'warning', format: 'sarif', severity: { 'index-extra': 'warning' }, ignore: [{ kind: 'index', object: 'public.tmp_*', code: 'index-*', reason: 'x' }], databaseUrl: 'postgres://localhost/x', baseRef: 'origin/main', orderFile: 'db/schema/order.txt' }, true],
    ['unknown key', { refrence: 'db' }, false],
    ['bad failOn', { failOn: 'always' }, false],
    ['bad format', { format: 'html' }, false],
    ['bad severity', { severity: { x: 'fatal' } }, false],
    ['ignore not a list', { ignore: { kind: 'index' } }, false],
    ['ignore rule with an unknown key', { ignore: [{ kinds: 'index' }] }, false],
    ['ignore rule with only a reason', { ignore: [{ reason: 'why' }] }, false],
    ['ignore rule with a number', { ignore: [{ code: 1 }] }, false],
    ['databaseUrl not a string', { databaseUrl: 5 }, false],
    ['orderFile false (no setup order, not even one found)', { orderFile: false }, true],
    ['orderFile true', { orderFile: true }, false],
  ];
  for (const [name, raw, valid] of cases) {
    it(`${name}: ${valid ? 'accepted' : 'rejected'} by both the JSON Schema and the validator`, () => {
      expect(schemaAccepts(raw)).toBe(valid);
      expect(validatorAccepts(raw)).toBe(valid);
    });
  }

  it('errors name the key path', () => {
    expect(() => validateConfig({ ignore: [{ kind: 'index' }, { kind: 'indexes' }] }, 'verify-schema.config.json', temp)).toThrow(
      'verify-schema.config.json: ignore[1].kind "indexes" matches no object kind',
    );
    expect(() => validateConfig({ ignore: [{ code: 'x', colour: 'red' }] }, 'c.json', temp)).toThrow('c.json: ignore[0]: unknown key "colour"');
    expect(() => validateConfig({ failOn: 'always' }, 'package.json: verifySchema', temp)).toThrow('package.json: verifySchema: failOn must be one of "error", "warning", "never", not "always"');
  });

  it('orderFile is relative to the config file', () => {
    expect(validateConfig({ orderFile: 'schema/order.txt' }, 'c.json', '/project').orderFile).toBe('/project/schema/order.txt');
  });

  it('a bad config is exit 2 with one line naming the key, before anything runs', async () => {
    writeFileSync(join(temp, 'verify-schema.config.json'), JSON.stringify({ reference: 'x', migrations: 'y', ignore: [{}] }));
    const result = await runCli([], { cwd: temp });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('verify-schema: error: verify-schema.config.json: ignore[0] must give "kind", "object" and/or "code" (a rule without them would ignore everything)\n');
  });
});

describe('ignore rules', () => {
  const f = (kind: Finding['kind'], object: string, code: string): Finding => ({ code, severity: 'error', kind, change: 'extra', object, message: '', details: {} });
  const findings = [f('index', 'public.idx_a', 'index-extra'), f('column', 'public.legacy_t.c', 'column-missing'), f('policy', 'public.t.p', 'policy-changed'), f('migration', 'db/V1__a.sql', 'migration-untracked')];

  it('drops a finding only when every field the rule gives matches', () => {
    const run = (rules: Parameters<typeof applyIgnoreRules>[1]) => applyIgnoreRules(findings, rules).ignored.map((x) => x.object);
    expect(run([{ kind: 'index' }])).toEqual(['public.idx_a']);
    expect(run([{ object: 'public.legacy_*' }])).toEqual(['public.legacy_t.c']);
    expect(run([{ code: 'migration-*' }])).toEqual(['db/V1__a.sql']);
    expect(run([{ kind: 'policy', code: 'policy-missing' }])).toEqual([]);
    expect(run([{ object: 'public.?dx_a' }, { code: 'policy-changed' }])).toEqual(['public.idx_a', 'public.t.p']);
    expect(run([{ object: 'public.idx' }])).toEqual([]); // whole-value match, not substring
    expect(applyIgnoreRules(findings, []).findings).toHaveLength(4);
  });
});

describe('--format / --output pairing', () => {
  const pair = (argv: string[], fallback: 'text' | 'github' = 'text') => pairReportTargets(reportFlags(argv), fallback);

  it('each --output takes the --format just before it; the one without goes to stdout', () => {
    expect(pair(['--format', 'json', '--output', 'r.json', '--format', 'sarif', '--output=r.sarif'])).toEqual([{ format: 'json', output: 'r.json' }, { format: 'sarif', output: 'r.sarif' }]);
    expect(pair(['--format', 'github', '--format', 'sarif', '--output', 'r.sarif'])).toEqual([{ format: 'github' }, { format: 'sarif', output: 'r.sarif' }]);
  });

  it('a single pair matches in any order; no --format uses the default (github in GitHub Actions)', () => {
    expect(pair(['--output', 'r.json', '--format', 'json'])).toEqual([{ format: 'json', output: 'r.json' }]);
    expect(pair(['--output', 'r.txt'])).toEqual([{ format: 'text', output: 'r.txt' }]);
    expect(pair([], 'github')).toEqual([{ format: 'github' }]);
  });

  it('ambiguous combinations are input errors', () => {
    expect(() => pair(['--format', 'json', '--format', 'sarif'])).toThrow('--format json and --format sarif both print to stdout');
    expect(() => pair(['--output', 'a', '--format', 'json', '--output', 'b', '--format', 'sarif'])).toThrow('--output a has no --format of its own');
  });
});
