import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { InputError } from '../../errors.js';
import { pathExists } from '../../path-exists.js';
import type { Finding } from '../../report/finding.js';
import { displayPath } from '../display-path.js';
import { readSqlFile } from '../read-sql-file.js';
import { findGmrc, readGmrc, type GraphileSettings } from './gmrc.js';
import { SESSION_TOKENS, type FormatContext, type FormatMigrations, type Migration, type MigrationFormat, type MigrationInput } from './migration-format.js';

/** graphile-migrate's committed migration names: `000001.sql`, `000001-message-slug.sql`. */
const COMMITTED_NAME = /^([0-9]+)(-[-_a-zA-Z0-9]*)?\.sql$/;
/** A header line: `--! Previous: sha1:…`, `--! Hash: sha1:…`, `--! Message: …`, `--! AllowInvalidHash`. */
const HEADER = /^--! ([A-Z][a-zA-Z0-9_]*)(?::(.*))?$/;

/**
 * graphile-migrate: `.gmrc` (JSON5) beside the migrations folder, `afterReset` SQL files run first, then
 * `committed/NNNNNN[-slug].sql` in number order, each in a transaction (unless its body starts with
 * `--! no-transaction`) in a session with `pgSettings` set. `:PLACEHOLDERS` are replaced everywhere in the
 * text, as graphile-migrate does; `:DATABASE_NAME` is the scratch database, `:DATABASE_OWNER` the
 * `databaseOwner` setting, else the user of connectionString / DATABASE_URL, else DATABASE_OWNER, else the
 * role running the migrations. The `--! Previous`/`--! Hash` chain is checked: a break is a finding.
 * `current.sql` (or `current/`) is applied only with --include-current.
 */
export const graphileMigrateFormat: MigrationFormat = {
  name: 'graphile-migrate',
  looksFor: 'a .gmrc beside the migrations folder, or committed/000001.sql files with --! Previous / --! Hash headers',
  projectHint: 'a .gmrc',
  async discoverProject(root) {
    const gmrc = join(root, '.gmrc');
    if (!(await pathExists(gmrc))) return undefined;
    const settings = await readGmrc(gmrc, join(root, 'migrations'), {}, root).catch(() => undefined);
    const folder = relative(root, settings?.migrationsFolder ?? join(root, 'migrations')) || '.';
    const dump = join(root, folder, 'schema.sql');
    return {
      migrations: [folder],
      migrationFormat: 'graphile-migrate',
      ...((await pathExists(dump)) ? { reference: [relative(root, dump)] } : {}),
      description: `graphile-migrate project (.gmrc, ${folder}/committed)`,
    };
  },
  async detect(input) {
    if (input.explicit) return undefined;
    const folder = migrationsFolderOf(input.folder);
    const gmrc = await findGmrc(folder);
    if (gmrc) return `${basename(gmrc)} in ${basename(dirname(gmrc))}/`;
    const committed = input.files.filter((f) => isCommittedFile(folder, f));
    if (committed.length && (await readSqlFile(committed[0])).text.startsWith('--! Previous:')) return `${committed.length} committed/ file${committed.length === 1 ? '' : 's'} with --! Previous headers`;
    return undefined;
  },
  async read(input, context) {
    const given = migrationsFolderOf(input.folder);
    const gmrc = input.explicit ? undefined : await findGmrc(given);
    const settings: GraphileSettings = gmrc ? await readGmrc(gmrc, given, context.env, context.cwd) : { migrationsFolder: given, placeholders: {}, pgSettings: {}, afterReset: [] };
    const folder = input.explicit ? given : settings.migrationsFolder;
    const replace = placeholderReplacer(settings, context);
    const session = Object.entries(settings.pgSettings).map(([key, value]) => `SELECT pg_catalog.set_config(${literal(key)}, ${literal(value)}, false)`);
    const notes: string[] = [];
    if (gmrc) notes.push(`graphile-migrate settings read from ${displayPath(gmrc, context.cwd)}${describeSettings(settings)}`);

    const setup: Migration[] = [];
    for (const action of settings.afterReset) {
      if (action.kind === 'command') {
        notes.push(`graphile-migrate afterReset command not run (verify-schema applies SQL only): ${action.command}`);
        continue;
      }
      const path = join(folder, action.file);
      if (!(await pathExists(path))) throw new InputError(`${displayPath(gmrc!, context.cwd)}: afterReset file ${action.file} not found at ${displayPath(path, context.cwd)}`);
      const file = await readSqlFile(path, context.cwd);
      // One query on its own connection: one implicit transaction, unless the file writes BEGIN/COMMIT itself.
      setup.push({ path, description: 'afterReset', sql: replace(file.text), transaction: 'auto', session });
    }

    const committedPaths = input.explicit ? input.files : await listCommitted(folder);
    if (committedPaths.length === 0 && !context.includeCurrent) {
      throw new InputError(`${displayPath(folder, context.cwd)} has no committed/NNNNNN.sql migrations; check the path (graphile-migrate keeps them in <migrationsFolder>/committed), or pass --include-current to verify current.sql`);
    }
    const committed = await Promise.all(committedPaths.map((path) => readCommitted(path, context.cwd)));
    const findings = checkChain(committed, context.cwd);
    const migrations: Migration[] = committed.map((c) => ({
      path: c.path,
      version: c.number,
      description: c.message ?? undefined,
      sql: replace(c.sqlText),
      transaction: !/^--!\s*no-transaction\b/.test(c.body),
      session,
    }));

    const current = input.explicit ? [] : await currentFiles(folder);
    if (context.includeCurrent) {
      for (const path of current) {
        const file = await readSqlFile(path, context.cwd);
        if (/^--!\s*include\b/m.test(file.text)) throw new InputError(`${displayPath(path, context.cwd)}: --!include of fixtures is not supported by verify-schema; commit the migration (graphile-migrate inlines the fixture) and verify the committed file`);
        migrations.push({ path, description: 'current', sql: replace(file.text), transaction: !/^--!\s*no-transaction\b/.test(file.text), session });
      }
    } else if (current.length) {
      notes.push(`${current.map((p) => displayPath(p, context.cwd)).join(', ')} not applied (the uncommitted migration); pass --include-current to verify it too`);
    }
    const dump = join(folder, 'schema.sql');
    return { migrations, setup, findings, notes, ...((await pathExists(dump)) ? { defaultReference: [dump] } : {}) };
  },
};

/** The migrations folder for a path the user gave: the folder itself, or the parent of its committed/ folder. */
function migrationsFolderOf(folder: string): string {
  return basename(folder) === 'committed' ? dirname(folder) : folder;
}

function isCommittedFile(folder: string, path: string): boolean {
  const rel = relative(folder, path).split(sep);
  return rel.length === 2 && rel[0] === 'committed' && COMMITTED_NAME.test(rel[1]);
}

async function listCommitted(folder: string): Promise<string[]> {
  const dir = join(folder, 'committed');
  if (!(await pathExists(dir))) return [];
  const names = (await readdir(dir)).filter((n) => COMMITTED_NAME.test(n));
  // graphile-migrate orders by the number part as text (`000010.sql` after `000009.sql`: numbers are zero-padded).
  const key = (n: string) => `${COMMITTED_NAME.exec(n)![1]}.sql`;
  return names.sort((a, b) => key(a).localeCompare(key(b), 'en')).map((n) => join(dir, n));
}

async function currentFiles(folder: string): Promise<string[]> {
  const file = join(folder, 'current.sql');
  if (await pathExists(file)) {
    const text = (await readSqlFile(file)).text;
    // graphile-migrate's blank current.sql is a comment only: nothing to apply, nothing to mention.
    return text.replace(/--[^\n]*/g, '').trim() ? [file] : [];
  }
  const dir = join(folder, 'current');
  if (!(await pathExists(dir))) return [];
  return (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort((a, b) => a.localeCompare(b, 'en')).map((n) => join(dir, n));
}

interface CommittedMigration {
  path: string;
  number: string;
  message: string | null;
  previous: string | null;
  hash: string | null;
  allowInvalidHash: boolean;
  /** The body as graphile-migrate hashes and runs it. */
  body: string;
  /** The file's text with the header lines blanked, so lines stay the file's own. */
  sqlText: string;
  /** Problems with the header itself (missing Previous/Hash, no blank line after it). */
  headerProblem?: string;
}

async function readCommitted(path: string, cwd: string): Promise<CommittedMigration> {
  const text = (await readSqlFile(path, cwd)).text;
  const lines = text.split('\n');
  const headers = new Map<string, string | null>();
  let count = 0;
  for (const line of lines) {
    const m = HEADER.exec(line);
    if (!m) break;
    headers.set(m[1], m[2] === undefined ? null : m[2].trim());
    count++;
  }
  const body = `${lines.slice(count).join('\n').trim()}\n`;
  const previousRaw = headers.get('Previous');
  const problems: string[] = [];
  if (!headers.has('Previous') || !previousRaw) problems.push("no '--! Previous:' header");
  if (!headers.get('Hash')) problems.push("no '--! Hash:' header");
  if (count > 0 && lines[count] !== '') problems.push(lines[count] === '\r' ? 'CRLF line endings (git converted them?)' : 'no blank line after the headers');
  return {
    path,
    number: COMMITTED_NAME.exec(basename(path))?.[1] ?? basename(path),
    message: headers.get('Message') ?? null,
    previous: previousRaw && previousRaw !== '-' ? previousRaw : null,
    hash: headers.get('Hash') ?? null,
    allowInvalidHash: headers.has('AllowInvalidHash'),
    body,
    sqlText: lines.map((line, i) => (i < count ? '' : line)).join('\n'),
    ...(problems.length ? { headerProblem: problems.join(', ') } : {}),
  };
}

/** graphile-migrate's hash of a committed migration: sha1 over the previous hash and the body. */
export function graphileHash(body: string, previous: string | null): string {
  return `sha1:${createHash('sha1').update(`${`${previous ?? ''}\n${body.trim()}`.trim()}\n`).digest('hex')}`;
}

/**
 * The checks graphile-migrate makes before it runs committed migrations: every file has its headers, the
 * first has no previous migration, each names the hash of the one before, and each hash matches its body
 * (an edited committed migration). graphile-migrate refuses to migrate past any of these.
 */
function checkChain(committed: CommittedMigration[], cwd: string): Finding[] {
  const findings: Finding[] = [];
  const broken = (m: CommittedMigration, why: string, line: number, details: Record<string, unknown>) => {
    const shown = displayPath(m.path, cwd);
    findings.push({
      code: 'migration-chain-broken',
      severity: 'error',
      kind: 'migration',
      change: 'chain-broken',
      object: shown,
      message: `${shown}: ${why}; graphile-migrate refuses to run migrations past it`,
      details,
      migrationLocation: { file: shown, line, column: 1, endLine: line },
    });
  };
  let before: CommittedMigration | undefined;
  for (const m of committed) {
    if (m.headerProblem) {
      broken(m, `invalid committed migration header (${m.headerProblem})`, 1, { problem: m.headerProblem });
    } else if (!before && m.previous !== null) {
      broken(m, `is the first committed migration but its --! Previous is ${m.previous} (expected -)`, 1, { previous: m.previous, expected: null });
    } else if (before && m.previous !== before.hash) {
      broken(m, `its --! Previous ${m.previous ?? '-'} is not the hash of ${basename(before.path)} (${before.hash})`, 1, { previous: m.previous, expected: before.hash });
    } else if (!m.allowInvalidHash && m.hash !== graphileHash(m.body, m.previous)) {
      broken(m, `its body does not match its --! Hash (edited after it was committed: ${graphileHash(m.body, m.previous)} !== ${m.hash})`, 2, { hash: m.hash, actual: graphileHash(m.body, m.previous) });
    }
    before = m;
  }
  return findings;
}

/**
 * graphile-migrate's placeholder replacement: every `:NAME` key followed by a word boundary, anywhere in the
 * text (also in strings and comments). Config "placeholders" (with or without the colon) win over .gmrc.
 */
function placeholderReplacer(settings: GraphileSettings, context: FormatContext): (sql: string) => string {
  const fromConfig = Object.fromEntries(Object.entries(context.placeholders ?? {}).map(([k, v]) => [k.startsWith(':') ? k : `:${k}`, v]));
  const owner = settings.databaseOwner ?? context.env.DATABASE_OWNER ?? SESSION_TOKENS.user;
  const values: Record<string, string> = { ...settings.placeholders, ':DATABASE_NAME': SESSION_TOKENS.database, ':DATABASE_OWNER': owner, ...fromConfig };
  const keys = Object.keys(values).sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?:${keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`, 'g');
  return (sql) => sql.replace(pattern, (key) => values[key] ?? '');
}

function describeSettings(settings: GraphileSettings): string {
  const parts = [
    Object.keys(settings.placeholders).length ? `placeholders ${Object.keys(settings.placeholders).join(', ')}` : '',
    Object.keys(settings.pgSettings).length ? `pgSettings ${Object.entries(settings.pgSettings).map(([k, v]) => `${k}=${v}`).join(', ')}` : '',
    settings.afterReset.length ? `afterReset ${settings.afterReset.map((a) => (a.kind === 'sql' ? a.file : 'command')).join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
