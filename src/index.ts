/** Public API: everything the CLI does is callable from TypeScript. */
export { verifySchema, verifyLive, checkRedundantIndexes, lintMigrations } from './run/pipelines.js';
export { LIVE_DEFAULT_SCHEMAS } from './run/run-pipeline.js';
export { passes, buildReport } from './report/build-report.js';
export { maskSecrets } from './engine/connection-url.js';
export type { VerifyOptions, ProgressEvent } from './options.js';
export type { Finding, Report, Severity, Change, SourceLocation } from './report/finding.js';
export type { ObjectKind } from './catalog/catalog-object.js';
export { VerifyError, InputError, SqlApplyError, EngineError } from './errors.js';
export { loadConfig, type ConfigFile } from './inputs/config.js';
export { formatText } from './report/format-text.js';
export { formatJson } from './report/format-json.js';
export { parseFlywayName, compareVersions, orderFlywayFolder } from './inputs/formats/flyway-naming.js';
export { MIGRATION_FORMATS, migrationFormat } from './inputs/formats/registry.js';
export { detectMigrationFormat, type DetectedFormat } from './inputs/formats/detect-format.js';
export {
  MIGRATION_FORMAT_NAMES,
  SESSION_TOKENS,
  type MigrationFormat,
  type MigrationFormatName,
  type Migration,
  type FormatMigrations,
  type FormatContext,
  type MigrationInput,
  type UnappliedMigration,
  type ProjectLayout,
} from './inputs/formats/migration-format.js';
export { resolveInputs, type ResolvedInputs, type InputPaths } from './inputs/resolve-inputs.js';
export { discoverProject } from './inputs/discover-project.js';
export { initConfig, type InitOptions, type InitResult } from './inputs/init-config.js';
export { main } from './cli.js';
export { findRedundantIndexes, type RedundantIndex, type IndexStats } from './rules/redundant-indexes/find-redundant-indexes.js';
export { redundantIndexFindings, type RedundancySide } from './rules/redundant-indexes/redundant-index-findings.js';
export { readIndexStats } from './rules/redundant-indexes/index-stats.js';
export { REDUNDANT_INDEX_RULES, REDUNDANT_INDEX_CODES } from './rules/redundant-indexes/registry.js';
export type { RedundantIndexRule } from './rules/redundant-indexes/redundant-index-rule.js';
export type { IndexShape } from './rules/redundant-indexes/index-shape.js';
export { introspectCatalog } from './catalog/introspect.js';
export type { Catalog } from './catalog/catalog-object.js';
export type { ScratchDatabase } from './engine/scratch-database.js';
export type { CheckedObject, FileChange } from './report/finding.js';
export { renderReport, pairReportTargets, reportFlags, REPORT_FORMATS, type ReportFormat, type ReportTarget } from './report/render-report.js';
export { formatGithub } from './report/format-github.js';
export { formatMarkdown } from './report/format-markdown.js';
export { formatSarif } from './report/format-sarif.js';
export { formatJunit } from './report/format-junit.js';
export { applyIgnoreRules, globMatch, type IgnoreRule } from './report/ignore.js';
export { SourceLocator } from './locations/source-locator.js';
export { checkMigrationHistory, type FileCheckResult, type HistoryCheckOptions } from './history/check-history.js';
export { flywayChecksum } from './history/flyway-checksum.js';
export { checkReferenceOrder, type ReferenceOrderOptions } from './inputs/reference-order.js';
export { planLint, type LintPlan } from './rules/lint/lint-migrations.js';
export { LINT_RULES, LINT_CODES } from './rules/lint/registry.js';
export { LintSession } from './rules/lint/lint-session.js';
export type { LintRule, LintRuleInstance, LintHit, StatementFacts, FinalState, RelationLock } from './rules/lint/lint-rule.js';
export type { MigrationTracer, FileTraceHooks } from './apply/apply-statements.js';
export { changedMigrations } from './history/changed-migrations.js';
