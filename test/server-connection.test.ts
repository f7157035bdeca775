import { describe, expect, it } from 'vitest';
import { parseConnectionUrl } from '../src/engine/connection-url.js';
import { ServerConnection } from '../src/engine/server-connection.js';
import { SERVER_SKIP_NOTE, serverQuery, TEST_SERVER_URL } from './helpers/server.js';

describe.skipIf(!TEST_SERVER_URL)(`server connection${TEST_SERVER_URL ? '' : ` (${SERVER_SKIP_NOTE})`}`, () => {
  it('statements called concurrently run one after another (never queued in the driver), and ending the connection cancels the running one first', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const url = parseConnectionUrl(TEST_SERVER_URL!, 'VERIFY_SCHEMA_TEST_DATABASE_URL');
    const connection = await ServerConnection.open(url, url.url, url.database);
    try {
      // Three at once, as clean-up after a signal may do while a side still runs.
      await Promise.all([1, 2, 3].map(() => connection.exec('SELECT pg_sleep(0.05)')));
      const tag = `verify_schema_cancel_${process.pid}`;
      const sleeping = connection.exec(`SELECT pg_sleep(30) AS ${tag}`);
      sleeping.catch(() => undefined);
      let running = false;
      for (let i = 0; i < 100 && !running; i++) {
        await new Promise((r) => setTimeout(r, 50));
        running = (await serverQuery(`SELECT 1 FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()`, [`%AS ${tag}`])).length > 0;
      }
      expect(running).toBe(true);
      const started = Date.now();
      await connection.end();
      // A cancel request ended the statement on the server (57014), not a closed socket.
      await expect(sleeping).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(5_000);
      // Statements after the end are refused without reaching the driver.
      await expect(connection.exec('SELECT 1')).rejects.toThrow(/closed/);
      await new Promise((r) => setTimeout(r, 50));
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await connection.end();
    }
  });
});
