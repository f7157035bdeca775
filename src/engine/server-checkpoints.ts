import { randomBytes } from 'node:crypto';
import type { Checkpoints } from './checkpoints.js';
import { asPostgresError } from './scratch-database.js';
import { maskSecrets } from './connection-url.js';
import { startsWithPattern, type ServerConnection } from './server-connection.js';

/** Checkpoint databases are named so: `verify_schema_ckpt_` and 40 hex digits of the key (Postgres names stop at 63 bytes). */
export const CHECKPOINT_DATABASE_PREFIX = 'verify_schema_ckpt_';
/** A finished checkpoint's name; copies still being made have a random suffix instead (see save). */
const CHECKPOINT_NAME = /^verify_schema_ckpt_[0-9a-f]{40}$/;
/** The comment that makes a checkpoint database valid. */
const NOTE = /^verify-schema checkpoint ([0-9a-f]{64}) fingerprint (\S+);/;
/** The project a checkpoint belongs to, written into its comment (see projectKey). */
const PROJECT_NOTE = /; project ([0-9a-f]+);/;
/** Checkpoint databases kept per project (newest first): the states a next run of that project may start from. */
const CHECKPOINTS_PER_PROJECT = 4;
/** All checkpoints this role keeps on one server, in bytes: the oldest go first beyond it, whatever their project. */
const CHECKPOINT_BYTES = 2 * 1024 ** 3;

/**
 * Migration checkpoints on a server: template databases, copied from the scratch database after the unchanged
 * prefix of the history and copied again (CREATE DATABASE … TEMPLATE) by the next run. They live on the server
 * because that is where CREATE DATABASE can copy them; `--no-cache` neither reads nor makes them. They accept
 * no connections (nobody can change them, or block a copy by being connected). Roles their objects use stay
 * while they exist (Postgres refuses to drop such a role); the last run out drops the others.
 */
export class ServerCheckpoints implements Checkpoints {
  constructor(
    private readonly admin: () => Promise<ServerConnection>,
    private readonly notice: (message: string) => void,
    /** The engine stops tracking a copy for clean-up once it is a checkpoint or gone. */
    private readonly release: (name: string) => void,
    /** What was evicted and why, for --debug. */
    private readonly debug: (message: string) => void = () => undefined,
  ) {}

  static databaseName(key: string): string {
    return `${CHECKPOINT_DATABASE_PREFIX}${key.slice(0, 40)}`;
  }

  /** `path` is the checkpoint database's name. */
  async findLongest(keys: string[]): Promise<{ index: number; path: string; fingerprint: string } | undefined> {
    const names = keys.map((key) => ServerCheckpoints.databaseName(key));
    const notes = await this.notes(names);
    for (let i = keys.length - 1; i >= 0; i--) {
      const match = NOTE.exec(notes.get(names[i]) ?? '');
      if (match && match[1] === keys[i]) return { index: i, path: names[i], fingerprint: match[2] };
    }
    return undefined;
  }

  /**
   * Copies under a temporary name, comments and locks the copy, then renames it into place: a checkpoint
   * under its final name is always complete, and of two runs saving the same state one rename wins and the
   * other copy is dropped.
   */
  async save(key: string, fingerprint: string, write: (path: string) => Promise<void>, project: string): Promise<void> {
    const name = ServerCheckpoints.databaseName(key);
    if ((await this.notes([name])).has(name)) return;
    const copy = `${CHECKPOINT_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
    await write(copy);
    try {
      const admin = await this.admin();
      await admin.exec(`COMMENT ON DATABASE ${copy} IS 'verify-schema checkpoint ${key} fingerprint ${fingerprint}; project ${project.replace(/[^0-9a-f]/g, '')}; ${new Date().toISOString()}; safe to drop'`);
      await admin.exec(`ALTER DATABASE ${copy} ALLOW_CONNECTIONS false`);
      await admin.exec(`ALTER DATABASE ${copy} RENAME TO ${name}`);
      this.release(copy);
    } catch (error) {
      await this.discard(copy);
      this.release(copy);
      if (asPostgresError(error)?.code === '42P04') return; // another run saved the same state a moment ago
      throw error;
    }
    await this.evict(name);
  }

  async discard(name: string): Promise<void> {
    try {
      await (await this.admin()).exec(`DROP DATABASE IF EXISTS ${name}`);
    } catch (error) {
      this.notice(`could not drop checkpoint database ${name}: ${maskSecrets((error as Error).message)}`);
    }
  }

  private async notes(names: string[]): Promise<Map<string, string | null>> {
    const rows = await (await this.admin()).query<{ datname: string; note: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = ANY($1)`,
      [names],
    );
    return new Map(rows.map((r) => [r.datname, r.note]));
  }

  /**
   * Keeps the newest checkpoints of each project and bounds them all by size (see planCheckpointEviction).
   * Only finished checkpoints (final name, valid comment) owned by the connected role are candidates, so
   * nothing another role or tool made is ever dropped; one saved by an older version (no project) counts as
   * a project of its own.
   */
  private async evict(justSaved: string): Promise<void> {
    const admin = await this.admin();
    const rows = await admin.query<{ datname: string; note: string | null; bytes: string }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS note, pg_database_size(oid)::text AS bytes FROM pg_database
        WHERE datname LIKE ${startsWithPattern(CHECKPOINT_DATABASE_PREFIX)} AND datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)
        ORDER BY oid DESC`,
    );
    const entries = rows
      .filter((r) => CHECKPOINT_NAME.test(r.datname) && NOTE.test(r.note ?? ''))
      .map((r) => ({ name: r.datname, project: PROJECT_NOTE.exec(r.note ?? '')?.[1] ?? 'unknown', bytes: Number(r.bytes) }));
    for (const { name, project, bytes, reason } of planCheckpointEviction(entries, { perProject: CHECKPOINTS_PER_PROJECT, totalBytes: CHECKPOINT_BYTES, justSaved })) {
      try {
        await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
        this.debug(`evicted checkpoint ${name} (project ${project}, ${formatBytes(bytes)}): ${reason}`);
      } catch {
        // Being copied by another run right now (55006): a later run drops it.
      }
    }
  }
}

export interface CheckpointEntry {
  name: string;
  project: string;
  bytes: number;
}

/**
 * Which checkpoints to drop, from `entries` listed newest first: beyond the newest `perProject` of each
 * project, then the oldest of the rest while together they exceed `totalBytes`. The one just saved always
 * stays. Projects sharing a server thus never evict each other's recent states; only the size cap weighs
 * them against each other.
 */
export function planCheckpointEviction(entries: CheckpointEntry[], limits: { perProject: number; totalBytes: number; justSaved: string }): (CheckpointEntry & { reason: string })[] {
  const evicted: (CheckpointEntry & { reason: string })[] = [];
  const seen = new Map<string, number>();
  const kept: CheckpointEntry[] = [];
  for (const entry of entries) {
    const count = (seen.get(entry.project) ?? 0) + 1;
    seen.set(entry.project, count);
    if (count > limits.perProject && entry.name !== limits.justSaved) evicted.push({ ...entry, reason: `more than ${limits.perProject} checkpoints of its project` });
    else kept.push(entry);
  }
  let total = kept.reduce((sum, e) => sum + e.bytes, 0);
  for (const entry of [...kept].reverse()) {
    if (total <= limits.totalBytes) break;
    if (entry.name === limits.justSaved) continue;
    total -= entry.bytes;
    evicted.push({ ...entry, reason: `all checkpoints together exceeded ${formatBytes(limits.totalBytes)}` });
  }
  return evicted;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${Math.round(bytes / 1024 ** 3)} GB` : bytes >= 1024 ** 2 ? `${Math.round(bytes / 1024 ** 2)} MB` : `${Math.round(bytes / 1024)} kB`;
}
