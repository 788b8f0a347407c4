/**
 * The runtime `runbook test` runs cases on: in-process (default), or Temporal at the configured
 * address with a worker embedded in this command on a task queue of its own, so the cases'
 * mocks answer from this process. Temporal modules load only for `--runtime temporal`.
 */
import { randomUUID } from 'node:crypto';
import type { AgentRegistry } from '../agents/agent-registry.ts';
import type { HandlerRegistry } from '../handlers/index.ts';
import type { TestCase } from '../testing/load-case.ts';
import { createLocalTestRuntime } from '../testing/local-test-runtime.ts';
import type { TestRuntime } from '../testing/test-runtime.ts';

export type RuntimeName = 'local' | 'temporal';

export interface OpenedRuntime {
  readonly runtime: TestRuntime;
  /** Where it runs, for the first line of the report. */
  readonly where: string;
  close(): Promise<void>;
}

/** Every handler name the cases call or mock (the Temporal worker registers an activity for each). */
function handlerNames(cases: readonly TestCase[]): Set<string> {
  const names = new Set<string>();
  for (const testCase of cases) {
    for (const name of testCase.mocks.keys()) names.add(name);
    for (const definition of testCase.definitions) for (const step of definition.runbook.steps) if ('call' in step) names.add(step.call.handler);
  }
  return names;
}

export async function openTestRuntime(name: RuntimeName, handlers: HandlerRegistry | null, cases: readonly TestCase[], agents?: AgentRegistry): Promise<OpenedRuntime> {
  if (name === 'local') {
    const runtime = createLocalTestRuntime({ handlers, ...(agents ? { agents } : {}) });
    return { runtime, where: 'in this process', close: () => runtime.close() };
  }
  const [{ NativeConnection, Runtime, DefaultLogger }, { temporalSettings, connectClient, connectionFailure, connectionOptions }, { temporalTestRuntime }] = await Promise.all([
    import('@temporalio/worker'),
    import('./temporal-support.ts'),
    import('../testing/temporal.ts'),
  ]);
  try {
    // The SDK's own log lines (worker start/stop) stay off the report.
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  } catch {
    // Already installed: keep it.
  }
  const settings = { ...temporalSettings(), taskQueue: `runbook-test-${randomUUID()}` };
  const connection = await connectClient(settings);
  const nativeConnection = await NativeConnection.connect(connectionOptions(settings)).catch(async (error: unknown) => {
    await connection.close();
    throw await connectionFailure(settings, error);
  });
  const closeConnections = async (): Promise<void> => {
    await nativeConnection.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  };
  try {
    const runtime = await temporalTestRuntime({ connection, nativeConnection, namespace: settings.namespace, taskQueue: settings.taskQueue, handlers, ...(agents ? { agents } : {}), handlerNames: handlerNames(cases) });
    return {
      runtime,
      where: `on Temporal at ${settings.address}, namespace ${settings.namespace}, task queue ${settings.taskQueue}`,
      close: async () => {
        await runtime.close();
        await closeConnections();
      },
    };
  } catch (error) {
    await closeConnections();
    throw error;
  }
}
