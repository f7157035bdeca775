import pg from 'pg';
import { ROLE_LOCK_SPACE } from '../../src/engine/server-leftovers.js';

/**
 * The real Postgres server tests may use: VERIFY_SCHEMA_TEST_DATABASE_URL (a role that may create databases
 * and roles, connected to a database such as postgres). .ci/run sets it; under CI=true its absence is a failure.
 */
export const TEST_SERVER_URL = process.env.VERIFY_SCHEMA_TEST_DATABASE_URL || undefined;
export const IN_CI = process.env.CI === 'true';
export const SERVER_SKIP_NOTE = 'server engine SKIPPED: set VERIFY_SCHEMA_TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/postgres to run these tests on a real Postgres too';

// The application's or the user's own server setting must never leak into tests that mean the embedded engine.
delete process.env.VERIFY_SCHEMA_DATABASE_URL;

/** Runs one statement on the test server (as the test role, in the URL's database, or in `database`). */
export async function serverQuery<T = Record<string, unknown>>(sql: string, params: unknown[] = [], database?: string): Promise<T[]> {
  if (!TEST_SERVER_URL) throw new Error('VERIFY_SCHEMA_TEST_DATABASE_URL is not set');
  const url = new URL(TEST_SERVER_URL);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The test URL with another user/password/database/port. */
export function testUrlWith(change: { user?: string; password?: string; database?: string; port?: number }): string {
  const url = new URL(TEST_SERVER_URL!);
  if (change.user !== undefined) url.username = change.user;
  if (change.password !== undefined) url.password = change.password;
  if (change.database !== undefined) url.pathname = `/${change.database}`;
  if (change.port !== undefined) url.port = String(change.port);
  return url.toString();
}

/**
 * Scratch databases and temporary roles a given process (by pid) left on the test server. A role another run
 * still holds (a test file running beside this one on the same server) is that run's to drop, not left over.
 */
export async function leftoversOf(pid: number): Promise<{ databases: string[]; roles: string[] }> {
  const databases = await serverQuery<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'verify\\_schema\\_%' AND shobj_description(oid, 'pg_database') LIKE $1`,
    [`%pid ${pid} %`],
  );
  const roles = await serverQuery<{ rolname: string }>(
    `SELECT rolname FROM pg_roles r WHERE shobj_description(oid, 'pg_authid') LIKE $1
        AND NOT EXISTS (SELECT FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                          AND l.classid = ${ROLE_LOCK_SPACE}::oid AND l.objid = (hashtext(r.rolname)::bigint & 4294967295)::oid)`,
    [`%pid ${pid} %`],
  );
  return { databases: databases.map((d) => d.datname), roles: roles.map((r) => r.rolname) };
}

/**
 * A run on the shared test server first drops what runs of processes that no longer exist left there, with one
 * notice line (test/server-leftovers.test.ts makes such leftovers on purpose, other checkouts' killed runs
 * too): the server's state, not the output of the scenario being run.
 */
export function withoutLeftoverNotices(stderr: string): string {
  return stderr.replace(/^verify-schema: removed [^\n]* left by verify-schema runs that no longer exist on this host \(pids? [\d, ]+\)\n/gm, '');
}
