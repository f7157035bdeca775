import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/report/finding.js';

export const FIXTURES_DIR = join(import.meta.dirname, '..', '..', 'fixtures');

export interface Scenario {
  name: string;
  dir: string;
  /** Extra CLI arguments from fixtures/<name>/args.json (e.g. ["--strict-column-order"]); `{dir}` is the scenario folder. */
  args: string[];
  expectedPath: string;
}

export interface Expected {
  exitCode: number;
  /** For exit code 2: text the one-line error must contain. */
  error?: string;
  findings?: GoldenFinding[];
}

/** The parts of a finding a golden file pins down (a migration hazard also its location: the statement's first line). */
export type GoldenFinding = Pick<Finding, 'code' | 'severity' | 'kind' | 'change' | 'object' | 'details'> & { at?: string };

/** Every folder under fixtures/ is a scenario: adding one is adding a folder. */
export function discoverScenarios(): Scenario[] {
  return readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = join(FIXTURES_DIR, d.name);
      const argsPath = join(dir, 'args.json');
      return {
        name: d.name,
        dir,
        args: existsSync(argsPath) ? (JSON.parse(readFileSync(argsPath, 'utf8')) as string[]).map((a) => a.replace('{dir}', dir)) : [],
        expectedPath: join(dir, 'expected.json'),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Default inputs of a scenario: reference/, migrations/ and baseline/ when present, unless args.json names them.
 * A scenario with none of them (a tool's own layout, found by discovery or its format's defaults) gets no paths.
 */
export function scenarioArgs(s: Scenario): string[] {
  const args: string[] = [];
  if (!s.args.includes('--reference') && existsSync(join(s.dir, 'reference'))) args.push('--reference', join(s.dir, 'reference'));
  if (!s.args.includes('--migrations') && existsSync(join(s.dir, 'migrations'))) args.push('--migrations', join(s.dir, 'migrations'));
  if (existsSync(join(s.dir, 'baseline')) && !s.args.includes('--baseline')) args.push('--baseline', join(s.dir, 'baseline'));
  // A command (`lint`) goes first: after an array option such as --baseline it would be read as one more path.
  const command = s.args[0] && !s.args[0].startsWith('-') ? [s.args[0]] : [];
  return [...command, ...args, ...s.args.slice(command.length)];
}

export function toGolden(findings: Finding[]): GoldenFinding[] {
  return findings
    // Whether a fixture's files are committed yet is not part of its expected result (see test/history.test.ts).
    .filter((f) => f.code !== 'migration-untracked')
    .map(({ code, severity, kind, change, object, details, migrationLocation }) => ({
      code,
      severity,
      kind,
      change,
      object,
      ...(change === 'hazard' && migrationLocation ? { at: `${migrationLocation.file.replace(/^.*\bmigrations\//, 'migrations/')}:${migrationLocation.line}:${migrationLocation.column}` } : {}),
      details,
    }))
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

/** Kind and object; hazards by file and line first (lines zero-padded, so line 4 comes before line 16). */
function sortKey(f: GoldenFinding): string {
  const at = f.at?.replace(/:(\d+):(\d+)$/, (_m, line: string, column: string) => `:${line.padStart(6, '0')}:${column.padStart(4, '0')}`) ?? '';
  return `${f.kind} ${at} ${f.object} ${f.code}`;
}
