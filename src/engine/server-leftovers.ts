import { hostname } from 'node:os';
import { isProcessRunning } from './process-running.js';
import { quoteIdentIfNeeded } from '../catalog/catalog-object.js';
import { asPostgresError } from './scratch-database.js';
import type { ConnectionUrl } from './connection-url.js';
import { ServerConnection, startsWithPattern } from './server-connection.js';

/** Every scratch database is named so; clean-up never touches a database it did not create in this run. */
export const SCRATCH_PREFIX = 'verify_schema_';
/** Comment on scratch databases and temporary roles, so a person (or a later run) can tell what they are. */
export const SCRATCH_MARK = 'verify-schema scratch';

/** This machine's name as comments write it (no quotes, no separators the parser below relies on). */
export function thisHost(): string {
  return hostname().replace(/['",;]/g, '');
}

/** The comment of a scratch database: its side, and the process and host that made it (see staleOwner). */
export function scratchDatabaseNote(label: string): string {
  return `${SCRATCH_MARK} database (${label} side), pid ${process.pid} on ${thisHost()}, ${new Date().toISOString()}; safe to drop`;
}

/** The comment of a role made for a run, naming the process that uses it last and the role that made it. */
export function scratchRoleNote(user: string): string {
  return `${SCRATCH_MARK} role, created for pid ${process.pid} on ${thisHost()} by ${user.replace(/['",;]/g, '')}; safe to drop`;
}

/**
 * The mark of a role a checkpoint database still uses, so this run could not drop it: it names no process, as
 * no run is its owner now; the next run that finds no other run's scratch database drops it with the rest.
 */
export function keptRoleNote(): string {
  return `${SCRATCH_MARK} role, kept while a checkpoint database uses it; safe to drop when none does`;
}

/** The process and host a comment names; host is undefined in comments of older versions (pid only). */
function ownerOf(note: string | null): { pid: number; host?: string } | undefined {
  const match = /\bpid (\d+)(?: on ([^,;\s]+))?(?=[\s,;])/.exec(note ?? '');
  return match ? { pid: Number(match[1]), host: match[2] } : undefined;
}

/** Made by a process of this machine that no longer runs: nobody will drop it but a later run. */
function leftByGoneProcess(note: string | null): number | undefined {
  const owner = ownerOf(note);
  return owner && owner.host === thisHost() && !isProcessRunning(owner.pid) ? owner.pid : undefined;
}

/**
 * Drops what runs killed without a chance to clean up (SIGKILL, a crash, a lost machine) left on the server:
 * scratch databases this role owns and temporary roles whose comment names a process of this machine that no
 * longer runs. Anything of another machine, of a running process, or without such a comment is left alone.
 * Returns one line for the user, or undefined when there was nothing to drop.
 */
export async function dropLeftovers(admin: ServerConnection): Promise<string | undefined> {
  const databases = await admin.query<{ datname: string; note: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database
      WHERE datname LIKE ${startsWithPattern(SCRATCH_PREFIX)} AND datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
  );
  const pids = new Set<number>();
  const dropped: string[] = [];
  for (const { datname, note } of databases) {
    const pid = leftByGoneProcess(note);
    if (pid === undefined || !note?.startsWith(SCRATCH_MARK)) continue;
    if (await tryDrop(admin, `DROP DATABASE IF EXISTS ${quoteIdentIfNeeded(datname)} WITH (FORCE)`)) {
      dropped.push(datname);
      pids.add(pid);
    }
  }
  const roles = await markedRoles(admin);
  const droppedRoles: string[] = [];
  for (const { rolname, note } of roles) {
    const pid = leftByGoneProcess(note);
    if (pid === undefined) continue;
    if ((await tryDropRole(admin, rolname)) === true) {
      droppedRoles.push(rolname);
      pids.add(pid);
    }
  }
  if (dropped.length === 0 && droppedRoles.length === 0) return undefined;
  const parts = [dropped.length && counted(dropped, 'scratch database'), droppedRoles.length && counted(droppedRoles, 'role')].filter(Boolean);
  const pidList = [...pids].sort((a, b) => a - b);
  return `removed ${parts.join(' and ')} on ${admin.url.server} left by verify-schema runs that no longer exist on this host (pid${pidList.length === 1 ? '' : 's'} ${pidList.join(', ')})`;
}

export interface CleanupResult {
  /** The server, for messages: "127.0.0.1:5432". */
  server: string;
  databases: string[];
  roles: string[];
  /** Scratch databases and roles that processes still running on this machine use: left in place. */
  kept: { pids: number[]; databases: string[]; roles: string[] };
}

/**
 * `verify-schema cleanup`: drops everything verify-schema made on a server as the URL's role — scratch
 * databases, checkpoints (also half-made copies), and the roles it created — except what a verify-schema
 * process still running on this machine uses. Roles another role made, or that a remaining database still
 * uses, stay (Postgres refuses those).
 */
export async function cleanupServer(url: ConnectionUrl): Promise<CleanupResult> {
  const admin = await ServerConnection.open(url, url.url, url.database);
  try {
    const result: CleanupResult = { server: url.server, databases: [], roles: [], kept: { pids: [], databases: [], roles: [] } };
    const pids = new Set<number>();
    const inUse = (note: string | null): boolean => {
      const owner = ownerOf(note);
      // Comments of older versions name no host: a running process of that pid here may be it.
      const running = owner !== undefined && (owner.host === undefined || owner.host === thisHost()) && isProcessRunning(owner.pid);
      if (running) pids.add(owner.pid);
      return running;
    };
    const databases = await admin.query<{ datname: string; note: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database
        WHERE datname LIKE ${startsWithPattern(SCRATCH_PREFIX)} AND datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)
        ORDER BY datname`,
    );
    for (const { datname, note } of databases) {
      if (inUse(note)) result.kept.databases.push(datname);
      else if (await tryDrop(admin, `DROP DATABASE IF EXISTS ${quoteIdentIfNeeded(datname)} WITH (FORCE)`)) result.databases.push(datname);
    }
    const [{ user }] = await admin.query<{ user: string }>('SELECT current_user AS user');
    for (const { rolname, note } of await markedRoles(admin)) {
      // Roles made by another role are that role's to clean up (comments of older versions name none).
      const by = /\bby (\S+);/.exec(note ?? '')?.[1];
      if (by !== undefined && by !== user) continue;
      if (inUse(note)) result.kept.roles.push(rolname);
      else {
        const dropped = await tryDropRole(admin, rolname);
        if (dropped === true) result.roles.push(rolname);
        // A run of another host (or of an older version's comment) holds it: that run drops it when it ends.
        else if (dropped === 'in-use') result.kept.roles.push(rolname);
      }
    }
    result.kept.pids = [...pids].sort((a, b) => a - b);
    return result;
  } finally {
    await admin.end();
  }
}

/** What `verify-schema cleanup` prints: what was dropped, what was kept and why. */
export function describeCleanup(result: CleanupResult): string[] {
  const lines: string[] = [];
  if (result.databases.length) lines.push(`dropped ${counted(result.databases, 'database', false)} on ${result.server}: ${result.databases.join(', ')}`);
  if (result.roles.length) lines.push(`dropped ${counted(result.roles, 'role', false)} on ${result.server}: ${result.roles.join(', ')}`);
  const kept = [...result.kept.databases, ...result.kept.roles];
  if (kept.length) {
    const what = [result.kept.databases.length && counted(result.kept.databases, 'database', false), result.kept.roles.length && counted(result.kept.roles, 'role', false)].filter(Boolean).join(' and ');
    const pids = result.kept.pids;
    lines.push(`kept ${what} that verify-schema processes still running on this host use (pid${pids.length === 1 ? '' : 's'} ${pids.join(', ')}): ${kept.join(', ')}`);
  }
  if (lines.length === 0) lines.push(`nothing verify-schema made is left on ${result.server}`);
  return lines;
}

async function markedRoles(admin: ServerConnection): Promise<{ rolname: string; note: string | null }[]> {
  return admin.query<{ rolname: string; note: string | null }>(
    `SELECT rolname, shobj_description(oid, 'pg_authid') AS note FROM pg_roles WHERE shobj_description(oid, 'pg_authid') LIKE '${SCRATCH_MARK} role%' ORDER BY rolname`,
  );
}

/**
 * Roles are cluster-wide and shared by every run that names them, so each run holds a shared advisory lock per
 * role it uses, from before it looks the role up until its connection ends; dropping a role takes the lock
 * exclusively first. A role one run made ready is thus never dropped by another run's clean-up in the moment
 * before the first run's SQL depends on it (then DROP ROLE itself would refuse). Advisory locks live in one
 * database: runs agree through the URL's database (the one every run connects to for its administration).
 */
export const ROLE_LOCK_SPACE = 0x76735f72; // "vs_r": the first key of the two-key form, so no other application's keys collide.

/** Holds the lock of each role (shared) for as long as `admin`'s session lasts. */
export async function holdRoles(admin: ServerConnection, roles: string[]): Promise<void> {
  await admin.query(`SELECT pg_advisory_lock_shared(${ROLE_LOCK_SPACE}, hashtext(r)) FROM unnest($1::text[]) AS r`, [roles]);
}

/**
 * Runs `drop` on a role no other run uses, under its lock taken exclusively; 'in-use' (and nothing runs) when
 * another session holds the lock: a run that drops the role itself when it ends.
 */
export async function whenRoleUnused<T>(admin: ServerConnection, role: string, drop: () => Promise<T>): Promise<T | 'in-use'> {
  // The session's own shared lock does not conflict with its exclusive request: only other runs' do.
  const [{ free }] = await admin.query<{ free: boolean }>(`SELECT pg_try_advisory_lock(${ROLE_LOCK_SPACE}, hashtext($1)) AS free`, [role]);
  if (!free) return 'in-use';
  try {
    return await drop();
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(${ROLE_LOCK_SPACE}, hashtext($1))`, [role]);
  }
}

/** Drops a role no run uses; false when Postgres refuses (objects still depend on it, no privilege, gone meanwhile). */
function tryDropRole(admin: ServerConnection, role: string): Promise<boolean | 'in-use'> {
  return whenRoleUnused(admin, role, () => tryDrop(admin, `DROP ROLE IF EXISTS ${quoteIdentIfNeeded(role)}`));
}

/**
 * Drops one object; false when Postgres refuses: still in use (55006, 2BP01 a role a database still needs),
 * not allowed (42501), or gone meanwhile.
 */
async function tryDrop(admin: ServerConnection, sql: string): Promise<boolean> {
  try {
    await admin.exec(sql);
    return true;
  } catch (error) {
    if (asPostgresError(error)) return false;
    throw error;
  }
}

function counted(names: string[], noun: string, listed = true): string {
  const text = `${names.length} ${noun}${names.length === 1 ? '' : 's'}`;
  return listed ? `${text} (${names.join(', ')})` : text;
}
