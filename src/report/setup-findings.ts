import { errorOffset } from '../apply/apply-statements.js';
import type { SetupFailure } from '../apply/apply-setup-order.js';
import { asPostgresError } from '../engine/scratch-database.js';
import { displayPath } from '../inputs/display-path.js';
import type { OrderedFile, ReferenceOrder } from '../rules/reference-order/reference-order.js';
import type { ObjectCreators } from '../locations/object-creators.js';
import type { SourceLocator } from '../locations/source-locator.js';
import { LineIndex } from '../parse/source-position.js';
import type { Finding } from './finding.js';




/**
 * The statement a setup script cannot run, located at its file:line:column and at the script's line that runs
 * it; when it waits for an object another reference file creates, which file that is and whether the script
 * runs it later, earlier or never.
 */
export function setupFailureFinding(failure: SetupFailure, applied: OrderedFile[], order: ReferenceOrder, creators: ObjectCreators, cwd: string): Finding {
  const show = (p: string) => displayPath(p, cwd);
  const orderFile = show(order.path);
  const failing = applied[failure.index];
  const statement = failure.statement;
  const pg = asPostgresError(failure.error);
  const error = pg ? `ERROR ${pg.code}: ${pg.message}` : String((failure.error as Error)?.message ?? failure.error);
  const at = positionOf(statement, pg);
  const creator = pg ? creators.creatorOf(pg.message) : undefined;
  let because = '';
  let scriptRunsIt: 'later' | 'earlier' | 'never' | 'later in the same file' | undefined;
  let createdBy: string | undefined;
  if (creator) {
    const file = creator.statement.file.path;
    createdBy = show(file);
    const where = order.files.findIndex((f) => f.file === file);
    const entry = order.files[where];
    if (file === failing.file) {
      scriptRunsIt = 'later in the same file';
      because = ` — ${creator.what} is created further down the same file (line ${creator.statement.line})`;
    } else if (!entry) {
      scriptRunsIt = 'never';
      because = ` — it is created by ${show(file)}, which ${orderFile} never runs`;
    } else {
      const appliedAt = applied.findIndex((f) => f.file === file);
      scriptRunsIt = appliedAt > failure.index || appliedAt < 0 ? 'later' : 'earlier';
      because = ` — it is created by ${show(file)}, which ${orderFile} runs ${scriptRunsIt} (line ${entry.line})`;
    }
  }
  const notRun = applied.length - failure.index - 1;
  const stops = notRun > 0 ? `; the script stops there: ${notRun} more file${notRun === 1 ? ' is' : 's are'} not run` : '';
  return {
    code: 'setup-failed',
    severity: 'error',
    kind: 'reference-file',
    change: 'failed',
    object: show(failing.file),
    message: `${show(failing.file)} fails when ${orderFile} runs it (${failing.line === failing.runLine ? `line ${failing.line}` : `listed at line ${failing.line}, run at line ${failing.runLine}`}): ${error}${because}${stops}`,
    details: {
      orderFile,
      runBy: `${orderFile}:${failing.runLine}`,
      listedAt: `${orderFile}:${failing.line}`,
      failedAt: `${show(statement.file.path)}:${at.line}:${at.column}`,
      error,
      ...(createdBy ? { createdBy, scriptRunsIt } : {}),
      notRun,
    },
    location: { file: show(statement.file.path), line: at.line, column: at.column, endLine: at.line },
  };
}

function positionOf(statement: SetupFailure['statement'], pg: ReturnType<typeof asPostgresError>): { line: number; column: number } {
  if (!pg) return { line: statement.line, column: statement.column };
  return new LineIndex(statement.file.text).position(errorOffset(statement, pg));
}

/**
 * The diff of the reference against the database the setup script builds, as setup findings: one per object
 * the script's database lacks (or has differently), each naming the reference file that creates it and the
 * script's line that runs that file — or that the script never runs it.
 */
export function setupDriftFindings(drift: Finding[], order: ReferenceOrder, reference: SourceLocator, cwd: string): Finding[] {
  const show = (p: string) => displayPath(p, cwd);
  const orderFile = show(order.path);
  return drift.map((f) => {
    const defined = reference.find(f.kind, f.object, f.table);
    const entry = defined && order.files.find((o) => show(o.file) === defined.file);
    const script = !defined ? `${orderFile} runs every file it should` : entry ? `${orderFile} runs ${defined.file} at line ${entry.runLine}` : `${orderFile} never runs ${defined.file}`;
    return {
      ...f,
      code: `setup-${f.change}`,
      side: 'setup' as const,
      message: `${f.message}: ${script}`,
      details: { ...f.details, script, runBy: entry ? `${orderFile}:${entry.runLine}` : null },
      ...(defined ? { location: defined } : {}),
    };
  });
}
