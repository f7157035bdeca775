import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { displayPath } from '../../inputs/display-path.js';
import { compareVersions, parseFlywayName } from '../../inputs/formats/flyway-naming.js';
import type { MigrationSource } from '../../inputs/resolve-inputs.js';
import type { FileCheckResult, Finding, FileChange, Severity, SourceLocation } from '../../report/finding.js';
import { flywayChecksum, flywayLines } from './flyway-checksum.js';
import { HISTORY_CODES, type HistoryCode } from './history-codes.js';
import { git, readBlobs, repositoryWithRevision, toGitPath } from './git.js';

export interface HistoryCheckOptions {
  /** The migrations paths, resolved (folders are Flyway locations; files are explicit migrations). */
  sources: MigrationSource[];
  cwd: string;
  /** Git revision the pull request started from; without it only the checks that need no base run. */
  baseRef?: string;
  /** In CI an untracked migration is an error: it will not be in the build that deploys. */
  ci?: boolean;
  /**
   * The migration tool (default flyway). The naming, version and checksum checks are Flyway's; for another
   * tool only the tool-independent check (every migration tracked by git) runs.
   */
  format?: string;
  /** For a tool other than Flyway: the files its format module reads (absolute), which the git check covers. */
  files?: string[];
}

interface MigrationOnDisk {
  path: string;
  /** Path relative to the repository root, with `/` (git's spelling); set once git is found. */
  gitPath?: string;
  /** Inside a migrations folder (Flyway scans it), rather than named explicitly. */
  inFolder: boolean;
  version?: string[];
}

/**
 * Checks the migration files as Flyway and a reviewer would: names Flyway runs, unique versions, every file
 * committed, and — against the base revision — applied migrations unchanged (Flyway checksum), not deleted or
 * renamed, and new ones numbered above the newest applied one. Never throws: when git or the base revision
 * is not available, the checks that need them are skipped with a warning.
 */
export async function checkMigrationHistory(options: HistoryCheckOptions): Promise<FileCheckResult> {
  const result: FileCheckResult = { findings: [], warnings: [], checked: [] };
  const { files, locations } = listMigrations(options);
  const show = (path: string) => displayPath(path, options.cwd);
  for (const f of files) result.checked.push({ kind: 'migration', object: show(f.path) });
  const flyway = (options.format ?? 'flyway') === 'flyway';
  const byVersion = flyway ? groupByVersion(files) : new Map<string, MigrationOnDisk[]>();
  if (flyway) result.findings.push(...misnamed(files, show), ...duplicateVersions(byVersion, show));
  if (files.length === 0) return result;

  // One git process for the check every run makes: ls-files from the first file's folder, its output read
  // relative to that folder. The repository's root is only looked up for the checks against a base revision.
  const from = await realpath(dirname(files[0].path));
  const listed = await git(from, ['ls-files', '-z', '--', ...(await Promise.all(locations.map(async (l) => toGitPath(from, await realpath(l)) || '.')))]);
  if (!listed.ok) {
    result.warnings.push(listed.missing ? `${SKIPPED} skipped: git is not installed` : `${SKIPPED} skipped: ${show(dirname(files[0].path))} is not inside a git repository`);
    return result;
  }
  result.findings.push(...(await untracked(from, listed.stdout, files, show, options.ci)));

  if (!flyway) {
    if (options.baseRef) result.warnings.push(`${SKIPPED} against ${options.baseRef} skipped: they follow Flyway's rules (checksums, versions), and these migrations are ${options.format}'s`);
    return result;
  }
  if (!options.baseRef) {
    result.warnings.push(`${SKIPPED} against a base revision skipped: pass --base-ref REV (e.g. origin/main; in GitHub Actions it defaults to origin/$GITHUB_BASE_REF)`);
    return result;
  }
  const base = options.baseRef;
  // git and the repository are there (ls-files ran): only the revision can be missing.
  const repository = await repositoryWithRevision(from, base);
  if ('missing' in repository) {
    result.warnings.push(`${SKIPPED} against ${base} skipped: git does not know that revision; fetch it first (e.g. git fetch origin ${base.replace(/^origin\//, '')})`);
    return result;
  }
  const { root } = repository;
  for (const f of files) f.gitPath = toGitPath(root, await realpath(f.path));
  const specs = await Promise.all(locations.map(async (l) => toGitPath(root, await realpath(l))));
  result.findings.push(...(await againstBase({ root, base, specs, files, byVersion, show })));
  return result;
}

const SKIPPED = 'migration-history checks';

function groupByVersion(files: MigrationOnDisk[]): Map<string, MigrationOnDisk[]> {
  const byVersion = new Map<string, MigrationOnDisk[]>();
  for (const f of files) if (f.version) byVersion.set(versionKey(f.version), [...(byVersion.get(versionKey(f.version)) ?? []), f]);
  return byVersion;
}

/** Files in a migrations folder Flyway would never run. */
function misnamed(files: MigrationOnDisk[], show: (path: string) => string): Finding[] {
  // A warning: the file is not applied, which is not drift, but the author surely meant it to run.
  return files
    .filter((f) => f.inFolder && !f.version && parseFlywayName(basename(f.path)).type === 'other')
    .map((f) => finding('migration-misnamed', 'misnamed', show(f.path), `${show(f.path)} does not follow Flyway's naming (V<version>__<description>.sql or R__<description>.sql), so it is not applied and Flyway never runs it; rename it`, { name: basename(f.path) }));
}

function duplicateVersions(byVersion: Map<string, MigrationOnDisk[]>, show: (path: string) => string): Finding[] {
  return [...byVersion].flatMap(([version, same]) =>
    same.slice(1).map((f) => finding('migration-duplicate-version', 'duplicate', show(f.path), `${show(f.path)} has version ${version}, like ${show(same[0].path)}; Flyway refuses two migrations with one version — give it the next free version`, { version, others: same.filter((o) => o !== f).map((o) => show(o.path)) })),
  );
}

/** Migration files git does not track (`listed`: `git ls-files -z` run in `from`): they will not be in the commit that deploys (an error in CI). */
async function untracked(from: string, listed: Buffer, files: MigrationOnDisk[], show: (path: string) => string, ci?: boolean): Promise<Finding[]> {
  const tracked = new Set(
    listed
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map((name) => resolve(from, name)),
  );
  const severity: Severity = ci ? 'error' : 'warning';
  const real = await Promise.all(files.map((f) => realpath(f.path)));
  return files
    .filter((_, i) => !tracked.has(real[i]))
    .map((f) => ({ ...finding('migration-untracked', 'untracked', show(f.path), `${show(f.path)} is not tracked by git: it will not be in the commit that deploys; git add it (or delete it)`, {}), severity }));
}

/** Applied migrations (those at the base revision) deleted, renamed or edited since; new ones numbered below them. */
async function againstBase(at: { root: string; base: string; specs: string[]; files: MigrationOnDisk[]; byVersion: Map<string, MigrationOnDisk[]>; show: (path: string) => string }): Promise<Finding[]> {
  const { root, base, show } = at;
  const listed = await git(root, ['ls-tree', '-r', '-z', '--name-only', base, '--', ...at.specs]);
  const basePaths = listed.ok ? listed.stdout.toString('utf8').split('\0').filter((p) => p.toLowerCase().endsWith('.sql')) : [];
  const applied = basePaths
    .map((p) => ({ gitPath: p, name: parseFlywayName(basename(p)) }))
    .flatMap((b) => (b.name.type === 'versioned' ? [{ gitPath: b.gitPath, version: b.name.version }] : []));
  const blobs = await readBlobs(root, base, applied.map((a) => a.gitPath));
  const showGit = (p: string) => show(join(root, ...p.split('/')));
  const findings: Finding[] = [];
  for (const a of applied) {
    const now = at.byVersion.get(versionKey(a.version))?.[0];
    const was = showGit(a.gitPath);
    if (!now) {
      findings.push(finding('migration-deleted', 'deleted', was, `${was} existed at ${base} and is gone: databases that ran it fail Flyway's validation ("applied migration not resolved locally"); restore it`, { baseRef: base, version: a.version.join('.') }));
      continue;
    }
    const changed = await changedSinceBase(now, blobs.get(a.gitPath));
    if (basename(a.gitPath) !== basename(now.path)) {
      findings.push(finding('migration-renamed', 'renamed', show(now.path), `${show(now.path)} was ${was} at ${base}: Flyway records the description of applied migrations, so databases that ran it fail validation; keep the old name`, { baseRef: base, from: was, to: show(now.path), version: a.version.join('.'), ...(changed ? { checksum: changed.checksum } : {}) }, { file: show(now.path), line: 1, column: 1, endLine: 1 }));
    } else if (changed) {
      const { checksum, line } = changed;
      findings.push(finding('migration-edited', 'edited', show(now.path), `${show(now.path)} changed after it was applied (Flyway checksum ${checksum.base} at ${base}, now ${checksum.current}): databases that ran it fail validation and never get the change; revert it and put the change in a new migration`, { baseRef: base, checksum, firstChangedLine: line }, { file: show(now.path), line, column: 1, endLine: line }));
    }
  }
  const appliedVersions = new Set(applied.map((a) => versionKey(a.version)));
  const newest = applied.reduce<string[] | undefined>((max, a) => (!max || compareVersions(a.version, max) > 0 ? a.version : max), undefined);
  for (const f of at.files) {
    if (!f.version || !newest || appliedVersions.has(versionKey(f.version)) || compareVersions(f.version, newest) >= 0) continue;
    findings.push(finding('migration-out-of-order', 'out-of-order', show(f.path), `${show(f.path)} is new but its version ${f.version.join('.')} is below ${newest.join('.')}, the newest at ${base}: Flyway will not run it on databases that are already past it; give it a version above ${newest.join('.')}`, { baseRef: base, version: f.version.join('.'), newestAtBase: newest.join('.') }));
  }
  return findings;
}

/** The Flyway checksums of a file at the base and now, and the first line that differs, when they differ. */
async function changedSinceBase(now: MigrationOnDisk, old: Buffer | undefined): Promise<{ checksum: { base: number; current: number }; line: number } | undefined> {
  if (!old) return undefined;
  const current = await readFile(now.path);
  const checksum = { base: flywayChecksum(old), current: flywayChecksum(current) };
  return checksum.base === checksum.current ? undefined : { checksum, line: firstChangedLine(old, current) };
}

/** The files the pipeline reads, plus every `.sql` in the folders (misnamed ones included). */
function listMigrations(options: HistoryCheckOptions): { files: MigrationOnDisk[]; locations: string[] } {
  if ((options.format ?? 'flyway') !== 'flyway' && options.files) {
    return { files: options.files.map((path) => ({ path, inFolder: true })), locations: options.files };
  }
  const files = options.sources.flatMap((source) =>
    source.files
      .filter((p) => !source.isDirectory || p.toLowerCase().endsWith('.sql'))
      .map((p): MigrationOnDisk => {
        const name = parseFlywayName(basename(p));
        return { path: p, inFolder: source.isDirectory, version: name.type === 'versioned' ? name.version : undefined };
      }),
  );
  return { files, locations: options.sources.map((s) => s.path) };
}

function finding(code: HistoryCode, change: FileChange | 'renamed', object: string, message: string, details: Record<string, unknown>, at?: SourceLocation): Finding {
  return {
    code,
    severity: SEVERITY.get(code)!,
    kind: 'migration',
    change,
    object,
    message,
    details,
    migrationLocation: at ?? (change === 'deleted' ? undefined : { file: object, line: 1, column: 1, endLine: 1 }),
  } as Finding;
}

const SEVERITY = new Map(HISTORY_CODES.map((c) => [c.code, c.severity]));

/** `1.01` and `1.1.0` are the same Flyway version. */
function versionKey(version: string[]): string {
  const parts = version.map((p) => p.replace(/^0+(?=\d)/, ''));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}

/** 1-based line of the current file where it first differs from the applied one (as Flyway reads lines). */
function firstChangedLine(old: Buffer, current: Buffer): number {
  const a = flywayLines(old);
  const b = flywayLines(current);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return Math.min(i + 1, b.length);
}
