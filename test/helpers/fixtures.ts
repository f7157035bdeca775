import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/report/finding.js';

const REPO_DIR = join(import.meta.dirname, '..', '..');
export const FIXTURES_DIR = join(REPO_DIR, 'fixtures');

/** Files outside a scenario's folder (the demo in db/) are shown absolute; goldens must not depend on the checkout's place. */
function withoutCheckoutPath(text: string): string {
  return text.replaceAll(`${REPO_DIR}/`, '<repo>/');
}

/**
 * Regenerating goldens (after a deliberate change of what users see, or after rebasing onto one):
 *
 *     UPDATE_GOLDENS=1 npx vitest run test/fixtures.test.ts test/ci-formats.test.ts
 *
 * rewrites every fixtures/<name>/expected.json and expected.txt (from the embedded engine) and test/golden/*.
 * Review the diff like code: each message, location and line of text must be what a user should see, not
 * just what the tool printed. `UPDATE_GOLDEN=1` (the older spelling) works too.
 */
export const UPDATING_GOLDENS = process.env.UPDATE_GOLDENS === '1' || process.env.UPDATE_GOLDEN === '1';

export interface Scenario {
  name: string;
  dir: string;
  /** Extra CLI arguments from fixtures/<name>/args.json (e.g. ["--strict-column-order"]); `{dir}` is the scenario folder. */
  args: string[];
  expectedPath: string;
  /** The text report (or, for exit 2, the error output) the scenario must print. */
  expectedTextPath: string;
}

export interface Expected {
  /** One line: what this scenario must produce and why (kept when the golden is regenerated; required). */
  note: string;
  exitCode: number;
  /** For exit code 2: text the one-line error must contain. */
  error?: string;
  findings?: GoldenFinding[];
}

/** The parts of a finding a golden file pins down: everything a user sees but the run's own timing. */
export type GoldenFinding = Pick<Finding, 'code' | 'severity' | 'kind' | 'change' | 'object' | 'message' | 'location' | 'migrationLocation' | 'details'>;

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
        expectedTextPath: join(dir, 'expected.txt'),
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

/** Whether a fixture's files are committed yet is not part of its expected result (see test/history.test.ts). */
function pinned(f: Finding): boolean {
  return f.code !== 'migration-untracked';
}

export function toGolden(findings: Finding[]): GoldenFinding[] {
  return (JSON.parse(withoutCheckoutPath(JSON.stringify(findings))) as Finding[])
    .filter(pinned)
    .map(({ code, severity, kind, change, object, message, location, migrationLocation, details }) => ({
      code,
      severity,
      kind,
      change,
      object,
      message,
      ...(location ? { location } : {}),
      ...(migrationLocation ? { migrationLocation } : {}),
      details,
    }))
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

/** Kind and object; migration hazards (the lint) by file and line first (zero-padded, so line 4 comes before 16). */
function sortKey(f: GoldenFinding): string {
  const at = f.change === 'hazard' && f.migrationLocation ? `${f.migrationLocation.file}:${String(f.migrationLocation.line).padStart(6, '0')}:${String(f.migrationLocation.column).padStart(4, '0')}` : '';
  return `${f.kind} ${at} ${f.object} ${f.code}`;
}

/** The text report as a golden: the engine, the duration and the checkout's place vary, nothing else may. */
export function normalizeText(text: string): string {
  return withoutCheckoutPath(text).replace(/ — [^\n]*?, \d+(\.\d+)?s$/gm, ' — <engine>, <duration>');
}
