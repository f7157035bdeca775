import { applySetupOrder, type SetupFailure } from '../../apply/apply-setup-order.js';
import type { OnFile } from '../../apply/apply-statements.js';
import type { ScratchDatabase } from '../../engine/scratch-database.js';
import type { OrderedFile, ReferenceOrder } from '../../rules/reference-order/reference-order.js';
import type { ParsedFile } from '../../parse/parse-sql.js';
import { SideStopped } from './built-side.js';
import type { ScratchSidePlan } from './scratch-sides.js';

/**
 * The setup side: the reference files in the order the project's setup script runs them, applied as the script
 * would apply them (see applySetupOrder) — no retry, stopping at the first failing statement. Files the script
 * runs that are not reference files are reported by the order check and not applied.
 */
export function planSetupSide(order: ReferenceOrder, reference: ParsedFile[]): { plan: ScratchSidePlan; applied: OrderedFile[] } | undefined {
  const byPath = new Map(reference.map((f) => [f.file.path, f]));
  const applied = order.files.filter((f) => f.isReference && byPath.has(f.file));
  if (applied.length === 0) return undefined;
  const files = applied.map((f) => byPath.get(f.file)!);
  // The script runs the reference's files in the reference's own order: see ScratchSidePlan.sameFilesAsReference.
  const sameFilesAsReference = files.length === reference.length && files.every((f, i) => f === reference[i]);
  return { plan: { name: 'setup', files, apply: applyAsSetupScript, ...(sameFilesAsReference ? { sameFilesAsReference } : {}) }, applied };
}

/** Stops building the setup side: the script fails at this statement (reported as a finding, not an error). */
export class SetupStopped extends SideStopped {
  constructor(readonly failure: SetupFailure) {
    super('the setup script stops at a failing statement');
    this.name = 'SetupStopped';
  }
}

async function applyAsSetupScript(db: ScratchDatabase, files: ParsedFile[], onFile?: OnFile): Promise<void> {
  const failure = await applySetupOrder(db, files, onFile);
  if (failure) throw new SetupStopped(failure);
}
