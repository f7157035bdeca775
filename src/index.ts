/** Public API: everything the CLI does is callable from TypeScript. */
export { verifySchema, passes } from './verify.js';
export { verifyLive, LIVE_DEFAULT_SCHEMAS } from './live.js';
export { maskSecrets } from './engine/connection-url.js';
export type { VerifyOptions, ProgressEvent } from './options.js';
export type { Finding, Report, Severity, Change, SourceLocation } from './report/finding.js';
export type { ObjectKind } from './catalog/catalog-object.js';
export { VerifyError, InputError, SqlApplyError, EngineError } from './errors.js';
export { loadConfig, type ConfigFile } from './inputs/config.js';
export { formatText } from './report/format-text.js';
export { formatJson } from './report/format-json.js';
export { parseFlywayName, compareVersions, orderFlywayFolder } from './inputs/flyway.js';
export { main } from './cli.js';
