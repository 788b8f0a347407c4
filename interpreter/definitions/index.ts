/** Runbook definitions a worker serves from a directory, hot-reloaded (docs/hot-reload.md). Node side. */
export { DefinitionStore, DEFAULT_SETTLE_MS, nextDefinitionEvent } from './definition-store.ts';
export type { DefinitionStoreOptions } from './definition-store.ts';
export { createWorkerDefinitions } from './worker-definitions.ts';
export type { WorkerDefinitions, WorkerDefinitionsOptions } from './worker-definitions.ts';
export { STATE_FILE_NAME, defaultStateFile, readStateFile, stateJson, writeStateFile } from './state-file.ts';
export type { DefinitionsStateJson, DefinitionJson, RejectionJson, StateWriter } from './state-file.ts';
export type { DefinitionEntry, DefinitionEvent, DefinitionListener, DefinitionListing, Rejection, StoreLogger, StoreSnapshot } from './types.ts';
