/**
 * yaml-runbook, the library: load and validate runbooks, run them in-process, or on
 * Temporal with the worker and client in `./temporal/index.ts`.
 *
 * @example
 * import { openRunbooks } from 'yaml-runbook';
 * const runtime = await openRunbooks();
 * const run = runtime.start('month-end-close', input);
 * await run.signal('tb_submitted', upload);
 * console.log(await run.waitForPendingAction()); // the review, with what is under review
 * await run.userAction({ action: 'approved' });
 * console.log(await run.result());
 */
export { openRunbooks, RunbooksInvalidError } from './library/open-runbooks.ts';
export type { OpenRunbooksOptions } from './library/open-runbooks.ts';

// The format: the zod source of truth and its types.
export { RunbookSchema, StepSchema, STEP_KINDS, buildRunbookJsonSchema } from './format/index.ts';
export type { Runbook, Step, StepKind, Transition, ReviewOutcome } from './format/index.ts';

// Configuration (runbook.config.yaml).
export { resolveProjectConfig, findConfigFile, ConfigError, stateDirPaths } from './config/index.ts';
export type { ProjectConfig, Setting, ConfigOverrides } from './config/index.ts';

// Loading and validation.
export { loadRunbookSource, validateRunbookFiles, expandRunbookPaths, formatDiagnosticsPretty, formatDiagnosticsJson, formatDiagnosticsGithub } from './loader/index.ts';
export type { Diagnostic, LoadedRunbook, LoadResult, ValidationReport } from './loader/index.ts';

// Handlers. `z` is the zod the contracts are checked with: import it from here so a project's
// handlers and the interpreter always share one copy.
export { z } from 'zod';
export { defineHandler, WorkflowError, HandlerRegistry, HandlersLoadError, loadHandlerRegistry } from './handlers/index.ts';
export type { AnyHandler, HandlerDefinition, HandlerContext, HandlerInfo, HandlerLogger } from './handlers/index.ts';

// Running.
export { LocalRuntime } from './runtime/local/index.ts';
export type { LocalRunHandle } from './runtime/local/index.ts';
export { SimulatedClock, systemClock } from './runtime/clock.ts';
export type { Clock } from './runtime/clock.ts';
export { StaticDefinitions } from './runtime/definition-source.ts';
export type { DefinitionSource, ResolvedDefinition } from './runtime/definition-source.ts';
export type { RunHandle } from './runtime/run-handle.ts';
export { selectRuntime, setRuntime } from './runtime/select-runtime.ts';
export { RunFailedError, RunCancelledError, ActionRejectedError, StartRejectedError, RunNotFoundError } from './runtime/runtime-errors.ts';
export type { RunEvent, PendingAction, StepView, UiState, UserAction, RunFailure, StepStatus, RunStatus, ReviewResult, ParentRef, TimelineEntry, ExcludedActor, InboxEntry } from './core/index.ts';
export { inboxEntryOf, hintTypeOf } from './core/index.ts';

// Lossless editing of runbook texts: the operations, the step outline, data-flow conflicts of a move.
export { applyEdit, moveStep, insertStep, deleteStep, duplicateStep, setStepField, clearStepField, STEP_TEMPLATES, outlineSteps, flowConflicts, introducedDiagnostics, unifiedDiff } from './editing/index.ts';
export type { StepPosition, EditOperation, EditResult, EditRefusalCode, StepTemplate, StepOutline, FlowConflict } from './editing/index.ts';
// Writing a runbook file safely: only if unchanged since it was read, under a lock, atomically.
export { writeIfUnchanged, FileChangedError } from './files/write-if-unchanged.ts';

// The runbook graph: a runbook as a diagram (`runbook graph`, the console's diagram).
export { runbookGraph, toMermaid, toDot, STATUS_STYLES } from './graph/index.ts';
export type {
  RunbookGraph, GraphNode, GraphStartNode, GraphStepNode, GraphEndNode, GraphFailNode, GraphChild, GraphEdge, GraphEdgeKind,
  GraphRenderOptions, GraphStatuses,
} from './graph/index.ts';

// Committed documents (`commit` / `previous` steps): the store a runtime, a worker and the console share.
export { openDocumentStore, openSqliteDocumentStore, openPostgresDocumentStore } from './documents/index.ts';
export type { DocumentStore, DocumentStoreSource, DocumentStoreChoice, CommittedDocument, DocumentQuery, KeyValue } from './documents/index.ts';
