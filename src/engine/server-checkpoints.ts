import type { Checkpoints } from '../cache/checkpoint-store.js';
import { maskSecrets } from './connection-url.js';
import type { ServerConnection } from './server-connection.js';

/** Checkpoint databases are named so: `verify_schema_ckpt_` and 40 hex digits of the key (Postgres names stop at 63 bytes). */
export const CHECKPOINT_DATABASE_PREFIX = 'verify_schema_ckpt_';
/** The comment that makes a checkpoint database valid; written after the copy, so a half-made one never is. */
const NOTE = /^verify-schema checkpoint ([0-9a-f]{64}) fingerprint (\S+);/;
/** Checkpoint databases kept per server, newest first; older ones are dropped (the stale ones go first). */
const MAX_CHECKPOINT_DATABASES = 4;

/**
 * Migration checkpoints on a server: template databases, copied from the scratch database after the unchanged
 * prefix of the history and copied again (CREATE DATABASE … TEMPLATE) by the next run. They live on the server
 * because that is where CREATE DATABASE can copy them; `--no-cache` neither reads nor makes them. Roles the
 * checkpoints' objects use stay with them (Postgres refuses to drop a role a database depends on) and are
 * dropped by a later run once no checkpoint needs them.
 */
export class ServerCheckpoints implements Checkpoints {
  constructor(
    private readonly admin: () => Promise<ServerConnection>,
    private readonly notice: (message: string) => void,
  ) {}

  static databaseName(key: string): string {
    return `${CHECKPOINT_DATABASE_PREFIX}${key.slice(0, 40)}`;
  }

  async findLongest(keys: string[]): Promise<{ index: number; path: string; fingerprint: string } | undefined> {
    const names = keys.map((key) => ServerCheckpoints.databaseName(key));
    const notes = await this.notes(names);
    for (let i = keys.length - 1; i >= 0; i--) {
      const match = NOTE.exec(notes.get(names[i]) ?? '');
      if (match && match[1] === keys[i]) return { index: i, path: names[i], fingerprint: match[2] };
    }
    return undefined;
  }

  async save(key: string, fingerprint: string, write: (path: string) => Promise<void>): Promise<void> {
    const name = ServerCheckpoints.databaseName(key);
    const note = (await this.notes([name])).get(name);
    if (note !== undefined && NOTE.exec(note ?? '')?.[1] === key) return;
    // A database of that name without a valid note is a copy that never finished.
    if (note !== undefined) await this.discard(name);
    try {
      await write(name);
    } catch (error) {
      // 42P04: another run saved the same state a moment ago.
      if ((error as { code?: string }).code === '42P04') return;
      throw error;
    }
    await (await this.admin()).exec(`COMMENT ON DATABASE ${name} IS 'verify-schema checkpoint ${key} fingerprint ${fingerprint}; ${new Date().toISOString()}; safe to drop'`);
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

  /** Keeps the newest checkpoint databases; a checkpoint another run is copying right now is left for later. */
  private async dropOldest(): Promise<void> {
    const rows = await (await this.admin()).query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE '${CHECKPOINT_DATABASE_PREFIX.replace(/_/g, '\\_')}%' ORDER BY oid DESC OFFSET ${MAX_CHECKPOINT_DATABASES}`,
    );
    for (const { datname } of rows) {
      try {
        await (await this.admin()).exec(`DROP DATABASE IF EXISTS ${datname}`);
      } catch {
        // In use by another run (55006): the next run drops it.
      }
    }
  }
}
