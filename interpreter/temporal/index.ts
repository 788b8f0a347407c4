/** The Temporal runtime, Node side. The workflow itself is ./workflow.ts (bundled, sandboxed). */
export { createInterpreterWorker, WORKFLOW_MODULE } from './interpreter-worker.ts';
export type { InterpreterWorkerOptions } from './interpreter-worker.ts';
export { TemporalRunClient, TemporalRunHandle } from './temporal-run-client.ts';
export type { TemporalStartOptions, TemporalRunSummary, ListRunsOptions } from './temporal-run-client.ts';
export { encodeInboxEntry, decodeInboxEntry } from './inbox-attributes.ts';
export { ensureSearchAttributes, DEV_SERVER_SEARCH_ATTRIBUTES } from './search-attributes.ts';
export { createHandlerActivities } from './handler-activities.ts';
export * from './workflow-contract.ts';

// The hot-reloading definitions a worker serves (docs/hot-reload.md).
export { DefinitionStore, createWorkerDefinitions, nextDefinitionEvent } from '../definitions/index.ts';
export type { DefinitionStoreOptions, WorkerDefinitions, WorkerDefinitionsOptions, DefinitionEvent, StoreSnapshot } from '../definitions/index.ts';
