import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskSecrets, parseConnectionUrl } from '../src/engine/connection-url.js';
import { FIXTURES_DIR } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';

/** A loopback port with nothing listening: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('password masking', () => {
  it('masks the password where a URL is printed, never the same text elsewhere (root:verify, postgres:postgres)', () => {
    const root = parseConnectionUrl('postgresql://root:verify@127.0.0.1:5432/app', '--database-url');
    expect(root.masked).toBe('postgresql://root:***@127.0.0.1:5432/app');
    const pg = parseConnectionUrl('postgres://postgres:postgres@db.example:5432/postgres', '--database-url');
    expect(pg.masked).toBe('postgres://postgres:***@db.example:5432/postgres');
    // Text that merely contains the password is left as it is: messages, database names, other URLs' users.
    const line = 'verify-schema: error: kept scratch databases: verify_schema_0a1b2c3d4e5f (reference); database postgres on postgres:5432';
    expect(maskSecrets(line)).toBe(line);
    // Wherever the URL itself appears (driver errors, --debug stack traces), its password is masked.
    expect(maskSecrets(`Error: connect to postgresql://root:verify@127.0.0.1:5432/app failed`)).toBe('Error: connect to postgresql://root:***@127.0.0.1:5432/app failed');
    expect(maskSecrets('host=db user=app password=s3cret dbname=x')).toBe('host=db user=app password=*** dbname=x');
    expect(maskSecrets('postgres://u@h/d?password=s3cret&sslmode=require')).toBe('postgres://u@h/d?password=***&sslmode=require');
  });

  it('a password that is a common word leaves the CLI messages intact (exit 2, one line)', async () => {
    const port = await closedPort();
    const url = `postgresql://root:verify@127.0.0.1:${port}/schema`;
    const result = await runCli(['--reference', join(FIXTURES_DIR, 'column-drift', 'reference'), '--migrations', join(FIXTURES_DIR, 'column-drift', 'migrations'), '--database-url', url], { cwd: FIXTURES_DIR });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`verify-schema: error: could not connect to the Postgres server at 127.0.0.1:${port} (ECONNREFUSED); is it running and is the host and port in postgresql://root:***@127.0.0.1:${port}/schema right?\n`);
  });
});

describe('password masking of unusual URLs', () => {
  it('a password the URL pattern cannot delimit is masked where its URL is printed whole', () => {
    const url = parseConnectionUrl('postgres://app:pa%20ss@word@127.0.0.1:5432/db', '--database-url');
    expect(url.masked).not.toContain('pa%20ss');
    expect(maskSecrets(`could not use postgres://app:pa%20ss@word@127.0.0.1:5432/db today`)).not.toContain('pa%20ss');
  });
});
