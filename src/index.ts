/**
 * The public API: the commands (each a configuration of the one pipeline), the report and its formats, the
 * config loader, and the redundant-index rules for any catalog. Everything else is internal and may change.
 */
export { verifySchema, verifyLive, checkRedundantIndexes, lintMigrations } from './run/pipelines.js';
export type { VerifyOptions, ProgressEvent } from './options.js';
export type { Finding, Report, Severity, Change, FileChange, SourceLocation, CheckedObject, LintSummary, SideSourceInfo } from './report/finding.js';
export type { SideName } from './report/side-words.js';
export type { ObjectKind, Catalog } from './catalog/catalog-object.js';
export type { IgnoreRule } from './report/ignore.js';
export { VerifyError, InputError, SqlApplyError, EngineError } from './errors.js';
export { loadConfig, type ConfigFile } from './inputs/config.js';
export { FINDING_CODES } from './report/finding-codes.js';
export type { FindingCodeSpec } from './report/finding-code.js';
export { renderReport, REPORT_FORMATS, type ReportFormat } from './report/render-report.js';
export { formatText } from './report/format-text.js';
export { formatJson } from './report/format-json.js';
export { formatGithub } from './report/format-github.js';
export { formatMarkdown } from './report/format-markdown.js';
export { formatSarif } from './report/format-sarif.js';
export { formatJunit } from './report/format-junit.js';
export { maskSecrets } from './engine/connection-url.js';
export { introspectCatalog } from './catalog/introspect.js';
export type { ScratchDatabase } from './engine/scratch-database.js';
export { findRedundantIndexes, type RedundantIndex, type IndexStats } from './rules/redundant-indexes/find-redundant-indexes.js';
export { readIndexStats } from './rules/redundant-indexes/index-stats.js';
// Migration layouts, for tools that read every layout the CLI reads.
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
export { fixSchema, type FixOptions, type FixResult, type FixStatus } from './fix/fix-schema.js';
export { planFix, type FixPlan, type FixPlanOptions, type WithheldStatement } from './fix/plan-fix.js';
