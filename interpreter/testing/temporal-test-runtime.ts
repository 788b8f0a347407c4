/**
 * The Temporal TestRuntime: one Worker embedded in this process (the interpreter workflow, the
 * MockedHandlers registry as activities) on a task queue of its own, and a TemporalRunClient.
 * Each case's runs commit and read in the case's own document store (CaseDocuments, routed by workflow id).
 * Cases carry their own definitions (CaseDefinitions). The caller owns the connections.
 */
import { Context } from '@temporalio/activity';
import { Client, type Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { AgentRegistry } from '../agents/index.ts';
import type { HandlerRegistry } from '../handlers/index.ts';
import type { RunHandle } from '../runtime/run-handle.ts';
import { createInterpreterWorker } from '../temporal/interpreter-worker.ts';
import { ensureSearchAttributes } from '../temporal/search-attributes.ts';
import { TemporalRunClient } from '../temporal/temporal-run-client.ts';
import { CaseDefinitions } from './case-definitions.ts';
import { MockedAgents } from './mock-agents.ts';
import { MockedHandlers } from './mock-handlers.ts';
import { CaseDocuments } from './case-documents.ts';
import type { TestRuntime } from './test-runtime.ts';

export interface TemporalTestRuntimeOptions {
  /** A client connection (starting runs, queries, search attributes). */
  readonly connection: Connection;
  /** The worker's connection. */
  readonly nativeConnection: NativeConnection;
  readonly namespace: string;
  /** A queue no other worker polls (a case's activities must reach this process's mocks). */
  readonly taskQueue: string;
  /** The project's handlers; null when there are none. */
  readonly handlers: HandlerRegistry | null;
  /** Handler names only mocks answer (the worker registers an activity for each). */
  readonly handlerNames?: Iterable<string>;
  /** The project's agents (agents/), for `agent` steps a case does not mock. */
  readonly agents?: AgentRegistry;
  /** Worker tuning passed to createInterpreterWorker. */
  readonly tuning?: Parameters<typeof createInterpreterWorker>[0]['tuning'];
}

export interface TemporalTestRuntime extends TestRuntime {
  readonly client: Client;
  readonly namespace: string;
  readonly taskQueue: string;
}

/**
 * @example
 * const runtime = await createTemporalTestRuntime({ connection, nativeConnection, namespace: 'default', taskQueue: 'runbook-test-1', handlers });
 * const result = await runTestCase(runtime, testCase, { timeoutMs: 20_000 });
 * await runtime.close();
 */
export async function createTemporalTestRuntime(options: TemporalTestRuntimeOptions): Promise<TemporalTestRuntime> {
  await ensureSearchAttributes(options.connection, options.namespace);
  const handlers = new MockedHandlers(options.handlers);
  const agents = new MockedAgents(options.agents ?? null);
  const definitions = new CaseDefinitions();
  // One worker serves every case: its document activities go to the store of the case whose run calls them.
  const documents = new CaseDocuments();
  const worker = await createInterpreterWorker({
    connection: options.nativeConnection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    handlers: handlers.registry(options.handlerNames),
    definitions,
    agents: agents.registry(),
    documents: documents.router(() => Context.current().info.workflowExecution?.workflowId ?? ''),
    tuning: { stickyQueueScheduleToStartTimeout: '2s', shutdownGraceTime: '1s', ...options.tuning },
  });
  const running = worker.run();
  const client = new Client({ connection: options.connection, namespace: options.namespace });
  const runs = new TemporalRunClient(client, options.taskQueue);
  return {
    name: 'temporal',
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    client,
    handlers,
    agents,
    documents,
    async start(caseDefinitions, slug, input, runId, start = {}): Promise<RunHandle> {
      const release = await definitions.acquire(caseDefinitions);
      try {
        const definition = caseDefinitions.find((resolved) => resolved.runbook.slug === slug)?.runbook;
        const handle = await runs.start(slug, input, { runId, ...(start.startedBy === undefined ? {} : { startedBy: start.startedBy }), ...(definition ? { definition } : {}) });
        // Definitions are resolved at start and at child dispatch: free the slugs once the run is over.
        handle.result().then(release, release);
        return handle;
      } catch (error) {
        release();
        throw error;
      }
    },
    async close() {
      worker.shutdown();
      await running;
    },
  };
}
