import type { IndexShape } from './index-shape.js';

/** One redundant-index rule: a finding code, when an index `covering` makes `redundant` unnecessary, and why. */
export interface RedundantIndexRule {
  /** Finding code, stable: used in `severity` config and by ignore rules. */
  code: string;
  /** Short rule name shown in finding details. */
  rule: string;
  /** One sentence: what the rule reports (SARIF rule description, --help). */
  title: string;
  /** Doc page, relative to the package root. */
  doc: string;
  /** Whether `covering` serves every query and guarantee `redundant` does, in this rule's sense. */
  covers(redundant: IndexShape, covering: IndexShape): boolean;
  /** One sentence: what covers the index and why it is enough. */
  message(redundant: IndexShape, covering: IndexShape): string;
}
