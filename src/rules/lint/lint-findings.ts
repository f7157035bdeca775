import { displayPath } from '../../inputs/display-path.js';
import type { Finding } from '../../report/finding.js';
import type { LintHit } from './lint-rule.js';
import { LINT_RULES } from './registry.js';

const SEVERITY = new Map(LINT_RULES.map((r) => [r.code, r.severity]));

/** A rule's hit as a report finding, located at the first line of its statement. */
export function lintFinding(code: string, hit: LintHit, cwd: string): Finding {
  const s = hit.statement;
  return {
    code,
    severity: SEVERITY.get(code) ?? 'warning',
    kind: 'migration',
    change: 'hazard',
    object: hit.object,
    message: hit.message,
    details: { locks: hit.locks, rewrite: hit.rewrite, traced: hit.traced, hint: hit.hint },
    migrationLocation: { file: displayPath(s.file.path, cwd), line: s.line, column: s.column, endLine: s.endLine },
  };
}
