/**
 * The Temporal server for tests.
 *
 * `npm test` (scripts/run-tests.mjs) starts one dev server for the whole run and passes its
 * address in TEMPORAL_TEST_ADDRESS (and TEMPORAL_TEST_NAMESPACE). When a test file is run on
 * its own (`node --import tsx --test test/x.test.ts`) and that variable is not set, the first
 * call here starts a dev server for this process, which is killed when the process exits.
 *
 * Temporal tests are never skipped: if no server can be had, `getTestTemporal()` throws.
 *
 * Connections made through the helpers are tracked; call `closeTestTemporal()` in an
 * `after()` hook so the test process can exit.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../interpreter/temporal/dev-server.ts';
import { TEST_DEV_SERVER_OPTIONS } from './dev-server-options.ts';

export interface TestTemporal {
  /** `host:port` of the server. */
  readonly address: string;
  readonly namespace: string;
  /** Set when this process started the server itself (no TEMPORAL_TEST_ADDRESS). */
  readonly server?: DevServer;
  /** A new NativeConnection (for Workers), closed by `closeTestTemporal()`. */
  nativeConnection(): Promise<NativeConnection>;
  /** A new client Connection, closed by `closeTestTemporal()`. */
  connection(): Promise<Connection>;
  /** A Client on a new Connection in the test namespace, closed by `closeTestTemporal()`. */
  client(): Promise<Client>;
  /** A task queue name unique to this process and call, so tests do not steal each other's tasks. */
  taskQueue(prefix?: string): string;
}

let pending: Promise<TestTemporal> | undefined;
const opened: { close(): Promise<unknown> }[] = [];
let queueCounter = 0;

/** Keeps the SDK's own logging (worker start/stop INFO lines) out of test output. */
function quietRuntime(): void {
  const level = (process.env.TEMPORAL_TEST_LOG_LEVEL ?? 'WARN') as LogLevel;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Already installed (by a test or an earlier call): keep it.
  }
}

async function create(): Promise<TestTemporal> {
  quietRuntime();
  let address = process.env.TEMPORAL_TEST_ADDRESS;
  let namespace = process.env.TEMPORAL_TEST_NAMESPACE || 'default';
  let server: DevServer | undefined;
  if (!address) {
    try {
      server = await startDevServer({ ...TEST_DEV_SERVER_OPTIONS, keepAlive: false });
    } catch (error) {
      throw new Error(
        'TEMPORAL_TEST_ADDRESS is not set and no Temporal dev server could be started for this test ' +
          `process (run the suite with \`npm test\`, or see README "Development server"):\n${
            error instanceof Error ? error.message : String(error)
          }`,
        { cause: error },
      );
    }
    address = server.address;
    namespace = server.namespace;
  }
  const finalAddress = address;
  return {
    address: finalAddress,
    namespace,
    server,
    async nativeConnection() {
      const connection = await NativeConnection.connect({ address: finalAddress });
      opened.push(connection);
      return connection;
    },
    async connection() {
      const connection = await Connection.connect({ address: finalAddress });
      opened.push(connection);
      return connection;
    },
    async client() {
      const connection = await Connection.connect({ address: finalAddress });
      opened.push(connection);
      return new Client({ connection, namespace });
    },
    taskQueue(prefix = 'test') {
      return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++queueCounter}`;
    },
  };
}

/** The test Temporal server (one per process; started here only when TEMPORAL_TEST_ADDRESS is unset). */
export function getTestTemporal(): Promise<TestTemporal> {
  pending ??= create().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

/** Closes every connection the helpers opened. A server started here is stopped at process exit. */
export async function closeTestTemporal(): Promise<void> {
  const toClose = opened.splice(0);
  await Promise.all(toClose.map((c) => c.close().catch(() => undefined)));
}
