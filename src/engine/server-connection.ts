import { connect } from 'node:net';
import pg from 'pg';
import { EngineError } from '../errors.js';
import { maskSecrets, type ConnectionUrl } from './connection-url.js';
import { asPostgresError } from './scratch-database.js';

/** The oldest server whose catalog the kinds' queries know (tgparentid and pg_get_function_sqlbody need 13/14). */
export const MIN_SERVER_VERSION_NUM = 130000;

/**
 * One driver connection with the error handling every server use needs: connection failures become one clear
 * line, and a connection that breaks later is remembered instead of crashing the process with an unhandled
 * 'error' event (the next query then fails with a message that says so).
 */
export class ServerConnection {
  private lost?: Error;
  private ended = false;
  /** Set by end(): later statements are refused here, never handed to a client that is going away. */
  private closing = false;
  /** The statements called so far, chained: each starts when the one before has settled. */
  private tail: Promise<unknown> = Promise.resolve();
  /** A statement is on the server now (cancel() has something to cancel). */
  private running = false;

  private constructor(
    private readonly client: pg.Client,
    readonly url: ConnectionUrl,
    readonly database: string,
  ) {
    client.on('error', (error) => {
      this.lost ??= error;
    });
    client.on('end', () => {
      this.ended = true;
    });
  }

  /** Connects to `database` (default: the URL's own) and reads nothing. */
  static async open(url: ConnectionUrl, connectionString: string, database: string): Promise<ServerConnection> {
    const client = new pg.Client({ connectionString, application_name: 'verify-schema', connectionTimeoutMillis: 15_000 });
    // An error while connecting is also emitted as an event; without a listener it would crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw connectError(error, url, database);
    }
    return new ServerConnection(client, url, database);
  }

  get usable(): boolean {
    return !this.lost && !this.ended;
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.serially(() => this.client.query(sql, params as unknown[] | undefined))).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.serially(() => this.client.query(sql));
  }

  /**
   * One statement at a time, in call order. Clean-up after a signal or a failure may use a connection while
   * a side is still using it; handing the driver a second statement while one runs is deprecated (pg 9
   * refuses it), so callers wait here instead.
   */
  private serially<R>(run: () => Promise<R>): Promise<R> {
    const next = this.tail.then(async () => {
      if (this.closing) throw new EngineError(`the connection to ${this.url.server} (database ${this.database}) is closed`);
      this.running = true;
      try {
        return await run();
      } catch (error) {
        throw this.failure(error);
      } finally {
        this.running = false;
      }
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /**
   * Asks the server to cancel the statement running now, if any (a cancel request on a connection of its
   * own, as psql sends on Ctrl-C). The statement then fails with 57014 query_canceled.
   */
  async cancel(): Promise<void> {
    if (!this.running || this.ended) return;
    const { processID, secretKey, host, port } = this.client as unknown as { processID: number | null; secretKey: number | null; host: string; port: number };
    if (processID === null || secretKey === null) return;
    await sendCancelRequest(host, port, processID, secretKey).catch(() => undefined);
  }

  /**
   * Cancels the running statement, refuses new ones, waits (briefly) for what was called to settle, then
   * closes. Ending under a running statement would leave it running on the server until it notices.
   */
  async end(): Promise<void> {
    if (this.ended) return;
    this.closing = true;
    await this.cancel();
    await Promise.race([this.tail, new Promise((resolve) => setTimeout(resolve, CANCEL_WAIT_MS).unref())]);
    if (this.ended) return;
    this.ended = true;
    await this.client.end().catch(() => undefined);
  }

  /** Postgres errors pass through (callers report them with positions); a broken connection says so. */
  private failure(error: unknown): unknown {
    const pgError = asPostgresError(error);
    if (pgError && !CONNECTION_CLOSED_STATES.has(pgError.code ?? '')) return error;
    const reason = maskSecrets((this.lost ?? (error as Error)).message ?? String(error));
    return new EngineError(`lost the connection to the Postgres server ${this.url.server} (database ${this.database}): ${reason}`, { cause: error });
  }
}

/** How long end() waits for a cancelled statement to return before closing the connection anyway. */
const CANCEL_WAIT_MS = 3_000;

/**
 * The protocol's CancelRequest, sent on a new connection (Postgres reads it before any TLS negotiation and
 * answers by closing the socket). The driver's own way to do this goes through deprecated internals.
 */
function sendCancelRequest(host: string, port: number, processID: number, secretKey: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = host.startsWith('/') ? connect(`${host}/.s.PGSQL.${port}`) : connect(port, host);
    socket.setTimeout(CANCEL_WAIT_MS, () => socket.destroy(new Error('cancel request timed out')));
    socket.once('connect', () => {
      const message = Buffer.alloc(16);
      message.writeInt32BE(16, 0);
      message.writeInt32BE(80877102, 4); // the CancelRequest code
      message.writeInt32BE(processID, 8);
      message.writeInt32BE(secretKey, 12);
      socket.end(message);
    });
    socket.once('error', reject);
    socket.once('close', () => resolve());
  });
}

/** SQLSTATEs that mean the server closed this session (admin_shutdown, crash_shutdown, cannot_connect_now). */
const CONNECTION_CLOSED_STATES = new Set(['57P01', '57P02', '57P03']);

/** Turns a failed connect into one line that says what to check; never includes the password. */
export function connectError(error: unknown, url: ConnectionUrl, database: string): EngineError {
  const pgError = asPostgresError(error);
  const code = pgError?.code ?? (error as { code?: string })?.code;
  const message = maskSecrets((error as Error)?.message ?? String(error));
  const who = url.user ? `role "${url.user}"` : 'the default role';
  let text: string;
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENOENT':
      text = `could not connect to the Postgres server at ${url.server} (${code}); is it running and is the host and port in ${url.masked} right?`;
      break;
    case '28P01':
      text = `password authentication failed for ${who} on ${url.server}; check the user and password in the URL (${url.masked})`;
      break;
    case '28000':
      text = `the server ${url.server} refused ${who}: ${message}; check pg_hba.conf or the user in ${url.masked}`;
      break;
    case '3D000':
      text = `database "${database}" does not exist on ${url.server}; name an existing database in the URL (${url.masked})`;
      break;
    default:
      if (/timeout/i.test(message)) text = `timed out connecting to the Postgres server at ${url.server}; is it reachable? (${url.masked})`;
      else if (/SASL|password must be a string/i.test(message)) text = `the server ${url.server} asks ${who} for a password, but the URL has ${url.hasPassword ? 'an unusable one' : 'none'} (${url.masked})`;
      else text = `could not connect to the Postgres server at ${url.server}: ${message} (${url.masked})`;
  }
  return new EngineError(text, { cause: error });
}

export interface ServerVersion {
  version: string;
  versionNum: number;
}

/** Reads the version settings (no side effects) and refuses servers older than 13. */
export async function readServerVersion(connection: ServerConnection): Promise<ServerVersion> {
  const [row] = await connection.query<{ num: string; version: string }>(`SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version`);
  const found = { version: row.version, versionNum: Number(row.num) };
  checkServerVersion(found, connection.url.server);
  return found;
}

export function checkServerVersion(found: ServerVersion, server: string): void {
  if (!(found.versionNum >= MIN_SERVER_VERSION_NUM)) {
    throw new EngineError(`the Postgres server ${server} runs version ${found.version}, which verify-schema does not support; use PostgreSQL 13 or newer (or leave out --database-url to use the embedded Postgres 18)`);
  }
}

/** A LIKE pattern, as a quoted SQL literal, for names that start with `prefix` (its _ matched literally). */
export function startsWithPattern(prefix: string): string {
  return `'${prefix.replace(/'/g, "''").replace(/[\\%_]/g, '\\$&')}%'`;
}
