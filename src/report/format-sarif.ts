import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Report, Severity, SourceLocation } from './finding.js';
import { findingCode } from './finding-codes.js';
import { TOOL_VERSION } from './tool-version.js';
import { LINT_CODES } from '../rules/lint/registry.js';

const LEVELS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 for code scanning: one rule per finding code, one result per finding. The primary location is
 * the migration side when there is one (that is what will run in production), the reference side is a
 * related location. Fingerprints hash code and object, so an alert keeps its identity when lines move.
 * File URIs are relative to the working directory (%SRCROOT%): run from the repository root.
 */
export function formatSarif(report: Report): string {
  // A linted report names every lint rule, so code scanning knows them (and their docs) before the first alert.
  const codes = [...new Set([...report.findings.map((f) => f.code), ...(report.lint ? LINT_CODES : [])])].sort();
  const rules = codes.map((code) => {
    const first = report.findings.find((f) => f.code === code);
    const spec = findingCode(code);
    return {
      id: code,
      name: code.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase()),
      shortDescription: { text: spec?.title ?? code.replace(/-/g, ' ') },
      defaultConfiguration: { level: LEVELS[spec?.severity ?? first?.severity ?? 'error'] ?? 'error' },
      ...(spec ? { help: { text: `${spec.title}. More: ${spec.doc}`, markdown: `${spec.title}. More: [${spec.doc}](${spec.doc})` } } : {}),
      properties: { kind: first?.kind ?? 'migration', ...(spec ? { doc: spec.doc } : {}) },
    };
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'verify-schema', version: TOOL_VERSION, informationUri: 'https://www.npmjs.com/package/verify-schema', rules } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.warnings.map((w) => ({ level: 'warning', message: { text: w } })),
          },
        ],
        results: report.findings.map((f) => result(f, codes.indexOf(f.code), report)),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function result(f: Finding, ruleIndex: number, report: Report) {
  const primary = f.migrationLocation ?? f.location ?? fallbackLocation(f, report);
  const related = f.migrationLocation && f.location ? f.location : undefined;
  return {
    ruleId: f.code,
    ruleIndex,
    level: LEVELS[f.severity] ?? 'error',
    message: { text: f.message },
    ...(primary ? { locations: [physical(primary)] } : {}),
    ...(related ? { relatedLocations: [{ id: 1, ...physical(related), message: { text: 'reference definition' } }] } : {}),
    partialFingerprints: { 'verifySchemaFinding/v1': createHash('sha256').update(`${f.code}\0${f.object}`).digest('hex').slice(0, 32) },
    properties: { kind: f.kind, change: f.change, object: f.object, ...(f.table ? { table: f.table } : {}), ...(primary && !f.migrationLocation && !f.location ? { locationIsFallback: true } : {}) },
  };
}

/**
 * GitHub code scanning rejects a result without a location ("expected at least one location"). A finding
 * with none (a deleted migration, an object no statement could be matched to) points at the deleted file's
 * path or at the first input file of its side, line 1.
 */
function fallbackLocation(f: Finding, report: Report): SourceLocation | undefined {
  const file = f.kind === 'migration' ? f.object : f.change === 'missing' ? report.inputs.reference[0] : (report.inputs.migrations[0] ?? report.inputs.reference[0]);
  return file ? { file, line: 1, column: 1, endLine: 1 } : undefined;
}

function physical(at: SourceLocation) {
  return {
    physicalLocation: {
      // Files outside the working directory are shown absolute: give those a file: URI instead.
      artifactLocation: isAbsolute(at.file) ? { uri: pathToFileURL(at.file).href } : { uri: encodeURI(at.file), uriBaseId: '%SRCROOT%' },
      region: { startLine: at.line, startColumn: at.column, endLine: Math.max(at.line, at.endLine) },
    },
  };
}
