/**
 * The PostgreSQL server for tests: POSTGRES_TEST_URL when the runner (scripts/run-tests.mjs) started
 * one for the whole run, else a throwaway server for this process (stopped when it exits).
 * Never skipped in CI: with CI=true, no server is a failure; elsewhere the caller may skip with the reason.
 */
import { startPostgresServer } from './postgres-server.ts';

let pending: Promise<string> | undefined;

export function testPostgresUrl(): Promise<string> {
  pending ??= (async () => {
    if (process.env.POSTGRES_TEST_URL) return process.env.POSTGRES_TEST_URL;
    const server = await startPostgresServer();
    process.once('exit', () => server.stop());
    return server.url;
  })();
  return pending;
}

/** The URL, or the reason there is none (only outside CI; in CI this throws). */
export async function postgresOrSkipReason(): Promise<{ url: string } | { skip: string }> {
  try {
    return { url: await testPostgresUrl() };
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    return { skip: `no PostgreSQL server: ${error instanceof Error ? error.message : String(error)}` };
  }
}
