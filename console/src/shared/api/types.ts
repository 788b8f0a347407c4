/**
 * The contract with the console server, as types only: nothing of interpreter/ reaches the bundle.
 * Features import these names from here, so a change of the contract shows in one place.
 */
export type {
  ActionRequest, ApiError, InboxGroup, InboxItem, InboxResponse, MeResponse, OkResponse, Role, RunbookSummary,
  RunbooksResponse, RunListItem, RunPageResponse, RunsResponse, SignalRequest, StartRequest, StartResponse, UploadResponse,
} from '../../../../interpreter/server/console-api.ts';
export type {
  ChildView, PendingAction, RunFailure, RunStatus, StepStatus, StepView, TimelineEntry, UiState,
} from '../../../../interpreter/core/run-state.ts';
export type { InboxEntry } from '../../../../interpreter/core/inbox-entry.ts';
export type { ReviewOutcome, Runbook, Step } from '../../../../interpreter/format/runbook-format.ts';
export type {
  EditorAnalysis, EditorAnalyzeRequest, EditorApplyRequest, EditorApplyResponse, EditorDiagnostic, EditorDocument, EditorFilesResponse,
  EditorSaveRequest, EditorSaveResponse, FileChangedDetails, ServedHashResponse,
} from '../../../../interpreter/server/console-api.ts';
export type { EditOperation, FlowConflict, StepOutline, StepPosition, StepTemplate } from '../../../../interpreter/editing/edit-types.ts';
export type { GraphResponse } from '../../../../interpreter/server/graph-api.ts';
export type {
  DocumentChange, DocumentKeyValue, DocumentVersionsResponse, DocumentVersionView, DocumentVersionWithChanges, RunCommittedDocument, RunDocumentsResponse,
} from '../../../../interpreter/server/document-api.ts';
export type {
  GraphChild, GraphEdge, GraphEdgeKind, GraphNode, GraphStepNode, RunbookGraph,
} from '../../../../interpreter/graph/graph-model.ts';
