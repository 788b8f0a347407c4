/**
 * A Temporal worker for the interpreter workflow: bundles the workflow once,
 * registers every handler as an activity, serves definitions by slug. Node side.
 *
 * @example
 * const worker = await createInterpreterWorker({ connection, namespace: 'default', taskQueue: 'runbooks', handlers, definitions });
 * await worker.run();
 */
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { HandlerRegistry } from '../handlers/index.ts';
import type { DefinitionSource } from '../runtime/definition-source.ts';
import type { DocumentStoreSource } from '../documents/index.ts';
import type { AgentRegistry } from '../agents/index.ts';
import { bundleInterpreterWorkflow } from './bundle.ts';
import { createHandlerActivities } from './handler-activities.ts';
import type { WorkerTracing } from './tracing.ts';

/** The workflow module beside this one: `workflow.js` in the package (bundled from the compiled code), `workflow.ts` in a source checkout. */
export const WORKFLOW_MODULE = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './workflow.ts' : './workflow.js', import.meta.url));

export interface InterpreterWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly handlers: HandlerRegistry;
  readonly definitions: DefinitionSource;
  /** Where `commit` stores and `previous` reads documents (documents/open-document-store.ts). Default: a private in-memory store, with a RUNBOOK_DOCUMENTS_IN_MEMORY warning on first use. */
  readonly documents?: DocumentStoreSource;
  /** The agents `agent` steps invoke (agents/ of the project). Default: none. */
  readonly agents?: AgentRegistry;
  /**
   * OpenTelemetry tracing (createTracing in ./tracing.ts, `yaml-runbook/temporal`): the workflow bundle gets its
   * workflow interceptors, the worker its activity interceptors and the span exporter sink. Default: none.
   */
  readonly tracing?: WorkerTracing;
  /** Extra worker options (tuning, identity). */
  readonly tuning?: Partial<Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'workflowBundle' | 'activities'>>;
}

export async function createInterpreterWorker(options: InterpreterWorkerOptions): Promise<Worker> {
  const { tracing, tuning = {} } = options;
  // With a prebuilt bundle the SDK ignores `interceptors.workflowModules`: the workflow interceptors go into the bundle.
  const workflowBundle = await bundleInterpreterWorkflow(WORKFLOW_MODULE, tracing ? { workflowInterceptorModules: [...tracing.workflowInterceptorModules] } : {});
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle,
    activities: createHandlerActivities(options.handlers, options.definitions, options.documents, options.agents),
    ...tuning,
    ...(tracing
      ? {
          // The tracing's interceptors first (outermost: the span is open around the rest), then any of the caller's.
          interceptors: { ...tuning.interceptors, activity: [...tracing.activityInterceptors(), ...(tuning.interceptors?.activity ?? [])] },
          sinks: { ...tuning.sinks, ...tracing.sinks() },
        }
      : {}),
  });
}
