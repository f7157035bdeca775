import { randomBytes } from 'node:crypto';
import { quoteIdentIfNeeded } from '../catalog/catalog-object.js';
import { EngineError } from '../errors.js';
import { registerCleanup } from './cleanup.js';
import { maskSecrets, withDatabase, type ConnectionUrl } from './connection-url.js';
import { asPostgresError, type Engine, type EngineInfo, type ScratchDatabase, type ScratchRequest } from './scratch-database.js';
import { readServerVersion, ServerConnection, startsWithPattern } from './server-connection.js';
import { CHECKPOINT_DATABASE_PREFIX, ServerCheckpoints } from './server-checkpoints.js';
import { dropLeftovers, holdRoles, keptRoleNote, SCRATCH_MARK, SCRATCH_PREFIX, scratchDatabaseNote, scratchRoleNote, whenRoleUnused } from './server-leftovers.js';

export interface ServerEngineOptions {
  url: ConnectionUrl;
  /** Leave the scratch databases (and the roles they use) in place and report their names. */
  keepDatabases?: boolean;
  /** One-line notices for the user (kept databases, anything that could not be removed). */
  onNotice?: (message: string) => void;
  /** What was done behind the scenes, for --debug (checkpoints evicted). */
  onDebug?: (message: string) => void;
}

export { SCRATCH_MARK, SCRATCH_PREFIX } from './server-leftovers.js';

/** A scratch database still in use by a session that is exiting is dropped again, up to this many times. */
const DROP_ATTEMPTS = 5;

/**
 * A real Postgres server (13 or newer) reached by URL. Each scratch database is a fresh
 * `CREATE DATABASE verify_schema_<random> TEMPLATE template0` with its own connection, so both sides apply
 * concurrently. In the URL's own database nothing runs but CREATE/DROP DATABASE of these databases (and the
 * clean-up of roles this run created, which are cluster-wide). Clean-up runs on close, on failure, on
 * SIGINT/SIGTERM (registered with cleanup.ts) and after a broken connection, reconnecting if it must.
 */
export class ServerEngine implements Engine {
  readonly supportsCheckpoints = true;
  /** Checkpoints are template databases on the server itself (see ServerCheckpoints). */
  readonly checkpoints: ServerCheckpoints = new ServerCheckpoints(
    () => this.adminConnection(),
    (message) => this.options.onNotice?.(message),
    (name) => this.releaseCopy(name),
    (message) => this.options.onDebug?.(message),
  );
  private admin: ServerConnection;
  /** Scratch databases of this run that may exist, by name (added before CREATE, so a signal mid-way is covered). */
  private readonly databases = new Set<string>();
  private readonly scratches = new Set<ServerScratch>();
  /** Roles that exist for this run (present before, or created by prepareRoles): the SQL's CREATE ROLE of them is skipped. */
  private readonly runRoles = new Set<string>();
  /** Temporary roles (created by this or an earlier run, marked) this run used; candidates for DROP ROLE at the end. */
  private readonly markedRoles = new Set<string>();
  private shutdown?: Promise<void>;
  private readonly unregister: () => void;

  private constructor(
    readonly info: EngineInfo,
    private readonly options: ServerEngineOptions,
    admin: ServerConnection,
    /** The role the URL connects as (named in the comments of the roles it creates). */
    private readonly user: string,
  ) {
    this.admin = admin;
    this.unregister = registerCleanup(() => this.close());
  }

  static async start(options: ServerEngineOptions): Promise<ServerEngine> {
    const admin = await ServerConnection.open(options.url, options.url.url, options.url.database);
    try {
      const version = await readServerVersion(admin);
      const identity = await readServerIdentity(admin);
      const [{ user }] = await admin.query<{ user: string }>('SELECT current_user AS user');
      // What killed runs left behind goes first: nobody else will ever drop it.
      const removed = await dropLeftovers(admin);
      if (removed) options.onNotice?.(removed);
      return new ServerEngine({ name: 'server', version: version.version, versionNum: version.versionNum, identity }, options, admin, user);
    } catch (error) {
      await admin.end();
      throw error;
    }
  }

  async createScratch(request: ScratchRequest): Promise<ScratchDatabase> {
    if (this.shutdown) throw new EngineError('the server engine is shutting down');
    const name = `${SCRATCH_PREFIX}${randomBytes(6).toString('hex')}`;
    this.databases.add(name);
    // C collation and libc provider whatever the cluster's default, like the embedded engine (and its sort
    // orders). A checkpoint was made that way and is copied as it is.
    const locale = this.info.versionNum >= 150000 ? ` LOCALE_PROVIDER libc` : '';
    const from = request.fromCheckpoint ? `TEMPLATE ${request.fromCheckpoint}` : `TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'${locale}`;
    try {
      const admin = await this.adminConnection();
      await admin.exec(`CREATE DATABASE ${name} ${from}`);
      // A scratch database is thrown away: no commit waits for its WAL to reach the disk. Set on the
      // database (not at connection start, which poolers such as PgBouncer refuse), so RESET ALL keeps it.
      await admin.exec(`ALTER DATABASE ${name} SET synchronous_commit = off`);
    } catch (error) {
      this.databases.delete(name);
      throw this.createError(error, 'create databases', 'CREATEDB', `ALTER ROLE ${this.options.url.user ?? '<role>'} CREATEDB`);
    }
    let connection: ServerConnection | undefined;
    try {
      connection = await this.connectTo(name);
      // The comment is set from inside the scratch database itself, not through the URL's database.
      await connection.exec(`COMMENT ON DATABASE ${name} IS '${scratchDatabaseNote(request.label)}'`);
    } catch (error) {
      await connection?.end();
      await this.dropDatabase(name);
      throw error;
    }
    const scratch = new ServerScratch(request.label, name, connection, this.runRoles, (s) => this.closeScratch(s), (s, target) => this.copyScratch(s, target));
    this.scratches.add(scratch);
    return scratch;
  }

  /**
   * Roles are cluster-wide and shared by both scratch databases, so they are made once, before either side
   * runs: each missing one is created NOLOGIN and marked; an existing role is used as it is and never altered.
   * Roles the SQL itself creates are made here too, so the second side's CREATE ROLE does not collide with
   * the first's (ServerScratch skips CREATE ROLE of a role that exists for the run).
   */
  async prepareRoles(roles: string[], on: ScratchDatabase): Promise<void> {
    if (roles.length === 0) return;
    // The side's own connection, before its first statement: never another side's, which may be inside a
    // migration's transaction (a role created there would vanish with its rollback).
    const connection = [...this.scratches].find((s) => s === on)?.connection;
    if (!connection) throw new Error('prepareRoles needs a scratch database of this engine');
    // Before the roles are looked up: from here on, no other run's clean-up drops them (see holdRoles).
    await holdRoles(await this.adminConnection(), roles);
    for (const role of roles) this.runRoles.add(role);
    const existing = new Map(
      (await connection.query<{ rolname: string; note: string | null }>(`SELECT rolname, shobj_description(oid, 'pg_authid') AS note FROM pg_roles WHERE rolname = ANY($1)`, [roles])).map((r) => [r.rolname, r.note]),
    );
    for (const [role, note] of existing) {
      if (!note?.startsWith(SCRATCH_MARK)) continue;
      this.markedRoles.add(role);
      // This run uses it now: a later run must not take it for a leftover of the process that made it.
      await connection.exec(`COMMENT ON ROLE ${quoteIdentIfNeeded(role)} IS '${scratchRoleNote(this.user)}'`).catch(() => undefined);
    }
    for (const role of roles.filter((r) => !existing.has(r))) {
      const ident = quoteIdentIfNeeded(role);
      try {
        await connection.exec(`CREATE ROLE ${ident} NOLOGIN`);
      } catch (error) {
        // Another run on the same cluster created it a moment ago: use it as it is, and drop it if this run is
        // the last one out (its mark is checked then: the other run sets it just after CREATE ROLE).
        if (['42710', '23505'].includes(asPostgresError(error)?.code ?? '')) {
          this.markedRoles.add(role);
          continue;
        }
        throw this.createError(error, `create the roles the SQL uses (${roles.filter((r) => !existing.has(r)).join(', ')})`, 'CREATEROLE', 'create those roles beforehand');
      }
      this.markedRoles.add(role);
      await connection.exec(`COMMENT ON ROLE ${ident} IS '${scratchRoleNote(this.user)}'`);
    }
  }

  private connectTo(name: string): Promise<ServerConnection> {
    return ServerConnection.open(this.options.url, withDatabase(this.options.url, name), name);
  }

  /**
   * Copies a scratch database into a new database `target` (a checkpoint). Postgres copies only a database
   * nobody is connected to, so the scratch's connection is closed for the copy and reopened after it; the
   * appliers save checkpoints between files, where the session has nothing to keep.
   */
  private async copyScratch(scratch: ServerScratch, target: string): Promise<void> {
    await scratch.connection.end();
    // Tracked like a scratch database until the checkpoint store names it: Ctrl-C mid-way drops it.
    this.databases.add(target);
    let copyError: unknown;
    try {
      await (await this.adminConnection()).exec(`CREATE DATABASE ${target} TEMPLATE ${scratch.name}`);
    } catch (error) {
      copyError = error;
      this.databases.delete(target);
    }
    scratch.connection = await this.connectTo(scratch.name);
    if (copyError) throw copyError;
  }

  /** A copy made by copyScratch became a checkpoint (or was dropped): clean-up no longer drops it. */
  releaseCopy(name: string): void {
    this.databases.delete(name);
  }

  /** Drops every scratch database of this run, then the temporary roles; safe to call twice and from a signal. */
  close(): Promise<void> {
    this.shutdown ??= (async () => {
      this.unregister();
      const kept = this.options.keepDatabases ? [...this.scratches].map((s) => `${s.name} (${s.label})`) : [];
      await Promise.allSettled([...this.scratches].map((s) => s.connection.end()));
      if (this.options.keepDatabases) {
        if (kept.length) this.options.onNotice?.(`kept scratch databases on ${this.options.url.server}: ${kept.join(', ')}${this.markedRoles.size ? `; and roles ${[...this.markedRoles].join(', ')}` : ''}`);
      } else {
        for (const name of [...this.databases]) await this.dropDatabase(name);
        await this.dropRoles();
      }
      await this.admin.end();
    })();
    return this.shutdown;
  }

  private async closeScratch(scratch: ServerScratch): Promise<void> {
    await scratch.connection.end();
    if (!this.options.keepDatabases) await this.dropDatabase(scratch.name);
  }

  private async dropDatabase(name: string): Promise<void> {
    if (!this.databases.has(name)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        // FORCE (Postgres 13+) ends sessions still inside it, e.g. a statement interrupted by Ctrl-C.
        await (await this.adminConnection()).exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        this.databases.delete(name);
        return;
      } catch (error) {
        // 55006: a session just closed (or ended by FORCE) has not finished exiting; a busy server takes seconds.
        if (asPostgresError(error)?.code === '55006' && attempt < DROP_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          continue;
        }
        this.options.onNotice?.(`could not drop scratch database ${name} on ${this.options.url.server}: ${maskSecrets((error as Error).message)}; drop it with DROP DATABASE ${name}`);
        return;
      }
    }
  }

  /**
   * The last run out drops the marked roles: a role another run holds (see holdRoles) is left for that run;
   * while no other run's scratch database exists, every marked role goes, including any left by a run that
   * was killed.
   */
  private async dropRoles(): Promise<void> {
    if (this.markedRoles.size === 0) return;
    let roles = [...this.markedRoles];
    try {
      const admin = await this.adminConnection();
      // Other runs' scratch databases, not checkpoints: a role a checkpoint still uses is refused by DROP ROLE (2BP01).
      const [{ others }] = await admin.query<{ others: number }>(
        `SELECT count(*)::int AS others FROM pg_database WHERE datname LIKE ${startsWithPattern(SCRATCH_PREFIX)} AND datname NOT LIKE ${startsWithPattern(CHECKPOINT_DATABASE_PREFIX)}`,
      );
      const marked = `shobj_description(oid, 'pg_authid') LIKE '${SCRATCH_MARK} role%'`;
      roles = (
        others === 0
          ? await admin.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE ${marked}`)
          : await admin.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolname = ANY($1) AND ${marked}`, [roles])
      ).map((r) => r.rolname);
      // This run no longer uses its roles: give up its own shared locks first. Two runs ending together, each
      // still holding its shared lock while it asks for the exclusive one, would each leave the role to the
      // other, and neither would drop it.
      await admin.query('SELECT pg_advisory_unlock_all()');
      for (const role of roles) {
        // A role another run holds is left for that run to drop.
        await whenRoleUnused(admin, role, async () => {
          try {
            await admin.exec(`DROP ROLE IF EXISTS ${quoteIdentIfNeeded(role)}`);
          } catch (error) {
            // 2BP01: a checkpoint database (or another run's scratch database) still uses it. It stays, marked as
            // nobody's: a later run drops it once nothing uses it, and it is not this process's leftover.
            if (asPostgresError(error)?.code !== '2BP01') throw error;
            await admin.exec(`COMMENT ON ROLE ${quoteIdentIfNeeded(role)} IS '${keptRoleNote()}'`).catch(() => undefined);
          }
        });
      }
    } catch (error) {
      this.options.onNotice?.(`could not drop the temporary roles ${roles.join(', ')} on ${this.options.url.server}: ${maskSecrets((error as Error).message)}`);
    }
  }

  /** The URL's connection, reopened if it broke (e.g. the server restarted mid-run) so clean-up can still run. */
  private async adminConnection(): Promise<ServerConnection> {
    if (!this.admin.usable) {
      await this.admin.end();
      this.admin = await ServerConnection.open(this.options.url, this.options.url.url, this.options.url.database);
    }
    return this.admin;
  }

  private createError(error: unknown, what: string, privilege: string, fix: string): unknown {
    if (asPostgresError(error)?.code !== '42501') return error instanceof EngineError ? error : new EngineError(`could not ${what} on ${this.options.url.server}: ${maskSecrets((error as Error).message)}`, { cause: error });
    const who = this.options.url.user ? `role "${this.options.url.user}"` : 'the role in the URL';
    return new EngineError(`${who} may not ${what} on ${this.options.url.server} (it needs ${privilege}); ${fix}, or use another role in the URL`, { cause: error });
  }
}

/** See EngineInfo.identity. */
async function readServerIdentity(admin: ServerConnection): Promise<string> {
  const [row] = await admin.query<{ identity: string }>(`
    SELECT concat_ws(' | ', inet_server_addr()::text, inet_server_port()::text, current_database(), current_user,
             (SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolsuper),
             current_setting('TimeZone'), current_setting('DateStyle'), current_setting('IntervalStyle'),
             current_setting('extra_float_digits'),
             (SELECT string_agg(name || '=' || coalesce(default_version, ''), ',' ORDER BY name) FROM pg_available_extensions)) AS identity`);
  return `${admin.url.server} | ${row.identity}`;
}

class ServerScratch implements ScratchDatabase {
  private closed?: Promise<void>;
  constructor(
    readonly label: string,
    readonly name: string,
    public connection: ServerConnection,
    private readonly runRoles: Set<string>,
    private readonly release: (s: ServerScratch) => Promise<void>,
    private readonly copy: (s: ServerScratch, target: string) => Promise<void>,
  ) {}

  saveCheckpoint(target: string): Promise<void> {
    return this.copy(this, target);
  }

  async exec(sql: string): Promise<void> {
    await this.connection.exec(sql);
  }

  /**
   * `CREATE ROLE x` of a role that exists for this run: on a fresh cluster per side (as PGlite gives) it would
   * succeed, here it would collide with the other side or with the cluster's own role. Roles are not compared,
   * so the statement is skipped rather than run.
   */
  skips(statement: { type: string; node: Record<string, any> }): boolean {
    return statement.type === 'CreateRoleStmt' && typeof statement.node.role === 'string' && this.runRoles.has(statement.node.role);
  }

  query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.connection.query<T>(sql, params);
  }

  close(): Promise<void> {
    this.closed ??= this.release(this);
    return this.closed;
  }
}
