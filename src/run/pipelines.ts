import type { VerifyOptions } from '../options.js';
import type { Report } from '../report/finding.js';
import { runPipeline, type Pipeline } from './run-pipeline.js';
import { diffStep } from './steps/diff-step.js';
import { historyStep } from './steps/history-step.js';
import { lintStep } from './steps/lint-step.js';
import { migrationFormatStep } from './steps/migration-format-step.js';
import { redundantIndexesStep } from './steps/redundant-indexes-step.js';
import { referenceOrderStep } from './steps/reference-order-step.js';

/** The check: reference and migrations on scratch databases, drift, redundant indexes, history and order. */
export const CHECK_PIPELINE: Pipeline = {
  sides: ['reference', 'migrations'],
  steps: [diffStep('migrations'), redundantIndexesStep(), migrationFormatStep, historyStep, referenceOrderStep, lintStep('check')],
};

/** `lint`: the migrations side alone, its new migrations traced and judged by the lint rules. */
export const LINT_PIPELINE: Pipeline = {
  sides: ['migrations'],
  steps: [migrationFormatStep, lintStep('command')],
  cache: false,
};

/** --live: the reference on a scratch database against a running database, read only. */
export const LIVE_PIPELINE: Pipeline = {
  sides: ['reference', 'live'],
  steps: [diffStep('live'), redundantIndexesStep()],
  cache: false,
};

/**
 * `redundant-indexes`: the check's sides with only the redundant-index step, so the command and the normal
 * report cannot disagree (same inputs, same rules, same severities); drift does not fail it.
 */
export const REDUNDANT_INDEXES_PIPELINE: Pipeline = {
  sides: ['reference', 'migrations'],
  steps: [redundantIndexesStep({ listChecked: true })],
};

/** `redundant-indexes --live`: the rules on a running database, with each index's size and scan count. */
export const REDUNDANT_INDEXES_LIVE_PIPELINE: Pipeline = {
  sides: ['live'],
  steps: [redundantIndexesStep({ listChecked: true })],
  liveIndexStats: true,
};

/**
 * The whole check: discover and parse the inputs, apply the reference to one scratch database and
 * baseline + migrations to another, introspect both catalogs, diff them and build the report.
 * Throws VerifyError (exit code 2) when it cannot verify.
 */
export function verifySchema(options: VerifyOptions): Promise<Report> {
  return runPipeline(CHECK_PIPELINE, options);
}

/**
 * Live drift: the reference is applied to a scratch database (PGlite, or the --database-url server) and
 * compared with the catalog of a running database, read inside one READ ONLY transaction that is rolled back.
 * Nothing is created in the live database or its cluster.
 */
export function verifyLive(options: VerifyOptions): Promise<Report> {
  return runPipeline(LIVE_PIPELINE, options);
}

/** `verify-schema redundant-indexes` (with `options.live`: on that running database instead). */
export function checkRedundantIndexes(options: VerifyOptions): Promise<Report> {
  return runPipeline(options.live ? REDUNDANT_INDEXES_LIVE_PIPELINE : REDUNDANT_INDEXES_PIPELINE, options);
}

/**
 * `verify-schema lint`: applies baseline and migrations to a scratch database, tracing the linted migrations
 * statement by statement (locks taken, tables rewritten), and reports their hazards. No reference is needed.
 */
export function lintMigrations(options: VerifyOptions): Promise<Report> {
  return runPipeline(LINT_PIPELINE, options);
}
