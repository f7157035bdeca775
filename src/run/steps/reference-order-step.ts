import { diffCatalogs } from '../../diff/diff-catalogs.js';
import { discoveredNote, loadReferenceOrder, orderFindings, type OrderedFile, type ReferenceOrder } from '../../rules/reference-order/reference-order.js';
import { ObjectCreators } from '../../locations/object-creators.js';
import { setupDriftFindings, setupFailureFinding } from '../../report/setup-findings.js';
import { planSetupSide, SetupStopped } from '../sides/setup-side.js';
import type { Step } from '../step.js';

interface OrderState {
  order?: ReferenceOrder;
  /** The reference files the setup side applies, in the script's order. */
  applied: OrderedFile[];
}

/**
 * The reference against the project's setup script (the order file), when it has one: reference files the
 * script does not run and files it runs that are not reference files; then the script run for real — the
 * `setup` side, the reference files in the script's order without retry — and what a database set up that way
 * lacks or has differently, or the statement at which the script stops.
 */
export const referenceOrderStep: Step = {
  name: 'reference-order',
  needs: 'catalogs',
  async prepare({ options, inputs }) {
    // Read before any database starts: an order file that cannot be read stops the run at once (exit 2).
    const order = await loadReferenceOrder({ orderFile: options.orderFile, reference: inputs.reference, referenceRoots: options.reference, cwd: inputs.cwd, onDebug: options.onDebug });
    const setup = order ? planSetupSide(order, inputs.parsed.reference) : undefined;
    const state: OrderState = { order, applied: setup?.applied ?? [] };
    return { state, scratchSides: setup ? [setup.plan] : [] };
  },
  run({ inputs, sides }, prepared) {
    const { order, applied } = (prepared?.state ?? { applied: [] }) as OrderState;
    if (!order) return { findings: [] };
    const result = orderFindings(order, inputs.reference, inputs.cwd);
    if (order.discovered) result.warnings.unshift(discoveredNote(order, inputs.cwd));
    const setup = sides.get('setup');
    const reference = sides.get('reference');
    if (setup?.stopped instanceof SetupStopped) {
      result.findings.push(setupFailureFinding(setup.stopped.failure, applied, order, new ObjectCreators(inputs.parsed.reference), inputs.cwd));
    } else if (setup && reference?.locator) {
      result.findings.push(...setupDriftFindings(diffCatalogs(reference.catalog, setup.catalog, { other: 'setup' }), order, reference.locator, inputs.cwd));
    }
    return result;
  },
};
