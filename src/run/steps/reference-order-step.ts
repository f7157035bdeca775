import { checkReferenceOrder } from '../../inputs/reference-order.js';
import type { Step } from '../step.js';

/** The reference files against the project's own list of them (the order file), when it has one. */
export const referenceOrderStep: Step = {
  name: 'reference-order',
  needs: 'inputs',
  run: ({ options, inputs }) => checkReferenceOrder({ orderFile: options.orderFile, reference: inputs.reference, referenceRoots: options.reference, cwd: inputs.cwd, onDebug: options.onDebug }),
};
