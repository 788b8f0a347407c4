/** The Temporal runtime, Node side. The workflow itself is ./workflow.ts (bundled, sandboxed). */
export { createInterpreterWorker, WORKFLOW_MODULE } from './interpreter-worker.ts';
export type { InterpreterWorkerOptions } from './interpreter-worker.ts';
import type { RunbookTracing, TracingOptions } from './tracing.ts';
export type { RunbookTracing, TracingOptions, TracingProtocol, WorkerTracing } from './tracing.ts';

/**
 * OpenTelemetry tracing for createInterpreterWorker's `tracing` and a Client's interceptors (docs/temporal.md, "Tracing").
 * Loaded on first use: OpenTelemetry takes a noticeable moment to load, which a process that does not trace never pays.
 */
export async function createTracing(options: TracingOptions): Promise<RunbookTracing> {
  return (await import('./tracing.ts')).createTracing(options);
}
export { TemporalRunClient, TemporalRunHandle } from './temporal-run-client.ts';
export type { TemporalStartOptions, TemporalRunSummary, ListRunsOptions } from './temporal-run-client.ts';
export { encodeInboxEntry, decodeInboxEntry } from './inbox-attributes.ts';
export { ensureSearchAttributes, DEV_SERVER_SEARCH_ATTRIBUTES } from './search-attributes.ts';
export { createHandlerActivities } from './handler-activities.ts';
export * from './workflow-contract.ts';

// The hot-reloading definitions a worker serves (docs/hot-reload.md).
export { DefinitionStore, createWorkerDefinitions, nextDefinitionEvent } from '../definitions/index.ts';
export type { DefinitionStoreOptions, WorkerDefinitions, WorkerDefinitionsOptions, DefinitionEvent, StoreSnapshot } from '../definitions/index.ts';
