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
/** Checkpoint databases kept per server and role, newest first; older ones are dropped. */
const MAX_CHECKPOINT_DATABASES = 4;

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
  async save(key: string, fingerprint: string, write: (path: string) => Promise<void>): Promise<void> {
    const name = ServerCheckpoints.databaseName(key);
    if ((await this.notes([name])).has(name)) return;
    const copy = `${CHECKPOINT_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
    await write(copy);
    try {
      const admin = await this.admin();
      await admin.exec(`COMMENT ON DATABASE ${copy} IS 'verify-schema checkpoint ${key} fingerprint ${fingerprint}; ${new Date().toISOString()}; safe to drop'`);
      await admin.exec(`ALTER DATABASE ${copy} ALLOW_CONNECTIONS false`);
      await admin.exec(`ALTER DATABASE ${copy} RENAME TO ${name}`);
      this.release(copy);
    } catch (error) {
      await this.discard(copy);
      this.release(copy);
      if (asPostgresError(error)?.code === '42P04') return; // another run saved the same state a moment ago
      throw error;
    }
    await this.dropOldest();
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
   * Keeps the newest checkpoints this role made: only finished checkpoints (final name, valid comment) owned
   * by the connected role are candidates, so nothing another role or tool made is ever dropped.
   */
  private async dropOldest(): Promise<void> {
    const admin = await this.admin();
    const mine = (
      await admin.query<{ datname: string; note: string | null }>(
        `SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database
          WHERE datname LIKE ${startsWithPattern(CHECKPOINT_DATABASE_PREFIX)} AND datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)
          ORDER BY oid DESC`,
      )
    ).filter((r) => CHECKPOINT_NAME.test(r.datname) && NOTE.test(r.note ?? ''));
    for (const { datname } of mine.slice(MAX_CHECKPOINT_DATABASES)) {
      try {
        await admin.exec(`DROP DATABASE IF EXISTS ${datname}`);
      } catch {
        // Being copied by another run right now (55006): a later run drops it.
      }
    }
  }
}
