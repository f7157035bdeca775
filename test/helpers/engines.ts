import { expect, it } from 'vitest';
import { IN_CI, SERVER_SKIP_NOTE, TEST_SERVER_URL } from './server.js';

/** One engine a behavioural suite runs on: its CLI arguments and its API options. */
export interface TestEngine {
  name: 'pglite' | 'server';
  args: string[];
  options: { databaseUrl?: string };
}

/**
 * The engines every behavioural suite loops over: the embedded one always, a real server when
 * VERIFY_SCHEMA_TEST_DATABASE_URL is set. Under CI=true a missing server is a failing test, not a skip, so
 * the server path can never silently go untested.
 */
export const TEST_ENGINES: TestEngine[] = [
  { name: 'pglite', args: [], options: {} },
  ...(TEST_SERVER_URL ? [{ name: 'server' as const, args: ['--database-url', TEST_SERVER_URL], options: { databaseUrl: TEST_SERVER_URL } }] : []),
];

/** Call once per suite file at top level: says (or, in CI, fails) when the server engine is not available. */
export function reportMissingServer(suite: string): void {
  if (TEST_SERVER_URL) return;
  if (IN_CI) {
    it(`${suite}: server engine is configured (required under CI=true)`, () => {
      expect.fail('VERIFY_SCHEMA_TEST_DATABASE_URL is not set; under CI every behavioural suite must also run on a real Postgres (.ci/run sets it)');
    });
  } else {
    it.skip(`${suite} (server): ${SERVER_SKIP_NOTE}`, () => undefined);
  }
}
