import { displayPath } from '../../inputs/display-path.js';
import type { ParsedFile } from '../../parse/parse-sql.js';
import { lintFinding } from '../../rules/lint/lint-findings.js';
import { planLint, untracedNotes, type LintPlan } from '../../rules/lint/lint-migrations.js';
import { LintSession } from '../../rules/lint/lint-session.js';
import type { Step } from '../step.js';

interface LintState {
  plan: LintPlan;
  session?: LintSession;
  history: ParsedFile[];
}

/**
 * The migration-safety lint: the migrations new since the base revision are traced statement by statement
 * while the migrations side applies them (locks, rewrites), then judged by the lint rules. `command`: the
 * `lint` command, which lints every migration without a base; in the check it runs only against a known
 * base, and `--no-lint` (`"lint": false`) turns it off.
 */
export function lintStep(mode: 'check' | 'command'): Step {
  return {
    name: 'lint',
    needs: 'catalogs',
    async prepare({ options, inputs }) {
      if (mode === 'check' && options.lint === false) return undefined;
      const plan = await planLint(inputs.parsed.migrations, options.baseRef, mode === 'check');
      if (!plan) return undefined;
      const history = [...inputs.parsed.baseline, ...inputs.parsed.setup, ...inputs.parsed.migrations];
      const session = plan.linted.size ? new LintSession(plan.linted, history) : undefined;
      const state: LintState = { plan, session, history };
      return { ...(session ? { migrationsTracer: session } : {}), state };
    },
    async run({ sides, inputs }, prepared) {
      const state = prepared?.state as LintState | undefined;
      if (!state) return { findings: [] };
      const { plan, session, history } = state;
      const cwd = inputs.cwd;
      const findings = session ? (await session.finish(sides.get('migrations')!.catalog, history, cwd)).map(({ code, hit }) => lintFinding(code, hit, cwd)) : [];
      const linted = inputs.parsed.migrations.filter((m) => plan.linted.has(m)).map((m) => displayPath(m.file.path, cwd));
      return {
        findings,
        warnings: [...(mode === 'command' ? plan.warnings : []), ...untracedNotes(session, cwd)],
        ...(mode === 'command' ? { checked: linted.map((file) => ({ kind: 'migration' as const, object: file })) } : {}),
        report: { lint: { linted, ...(plan.baseRef ? { baseRef: plan.baseRef } : {}), ...(mode === 'command' ? { command: true } : {}) } },
      };
    },
  };
}
