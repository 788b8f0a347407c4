/**
 * The console's HTTP API: the one contract between the console server (interpreter/server) and the
 * browser app (console/). Types only: the app imports them with `import type`, so nothing of the
 * server reaches the browser bundle.
 *
 * Every route is under `/api/`. Reads need the `viewer` role, starting / acting / signalling / cancelling
 * need `operator`, the editor route needs `editor`. Mutating requests carry the CSRF token of `GET /api/me`
 * in the `x-csrf-token` header. Errors are `ApiError` bodies with an HTTP status: 400 (bad request),
 * 401 (not signed in), 403 (`FORBIDDEN`: a role is missing; `CSRF`), 404 (`RUN_NOT_FOUND`, `RUNBOOK_UNKNOWN`),
 * 409 (an engine rejection: `WRONG_STEP`, `NO_PENDING_ACTION`, `OUTCOME_NOT_ALLOWED`, `SEPARATION_OF_DUTIES`, ...),
 * 422 (`CORRECTIONS_INVALID`, `SIGNAL_PAYLOAD_INVALID`, `INPUT_INVALID`, `COMMENT_REQUIRED`, `PAYLOAD_TOO_LARGE`).
 */
import type { EditOperation, StepOutline, StepTemplate } from '../editing/edit-types.ts';
import type { InboxEntry, ReviewOutcome, Runbook, RunStatus, UiState } from '../index.ts';

export type Role = 'viewer' | 'operator' | 'editor';

export interface ApiError {
  readonly code: string;
  readonly message: string;
}

/** `GET /api/me` */
export interface MeResponse {
  /** The signed-in person; `anonymous` when the console runs without auth (localhost only). */
  readonly user: { readonly id: string; readonly name: string; readonly email: string | null; readonly groups: readonly string[] };
  readonly roles: readonly Role[];
  /** Send back in `x-csrf-token` on every POST. */
  readonly csrf_token: string;
  readonly auth: 'none' | 'proxy' | 'oidc';
  /** Where runs live: on Temporal (durable) or in this console process (they end with it). */
  readonly runtime: { readonly kind: 'temporal' | 'in-process'; readonly label: string };
  /** Present with OIDC: where the sign-out button posts. */
  readonly logout_url?: string;
}

/** One runbook the console can start, from `GET /api/runbooks`. */
export interface RunbookSummary {
  readonly slug: string;
  readonly title: string;
  readonly description: string | null;
  /** The runbook's `input` JSON Schema: the start form. */
  readonly input_schema: object | null;
  /** Declared signals: their description and payload JSON Schema (the signal forms). */
  readonly signals: Readonly<Record<string, { readonly description: string | null; readonly payload_schema: object | null }>>;
  /** The input fields that identify a run (entity, period, ...). */
  readonly identity: readonly string[];
  /** A sample input to prefill the start form (the runbook's `<slug>.input.json` beside it), if any. */
  readonly sample_input: unknown;
}

export interface RunbooksResponse {
  readonly runbooks: readonly RunbookSummary[];
}

/** `GET /api/inbox?runbook=&step=&action=&q=`: every run waiting on a person, grouped by what it waits for. */
export interface InboxResponse {
  readonly groups: readonly InboxGroup[];
  /** Waiting runs after the filters (children rolled up count one each). */
  readonly total: number;
  /** The values the filters can take, from every waiting run (before filtering). */
  readonly facets: { readonly runbooks: readonly string[]; readonly steps: readonly string[]; readonly actions: readonly string[] };
}

export interface InboxGroup {
  /** `display_hint.type` when the hint has one, else the pending action's name. */
  readonly key: string;
  readonly label: string;
  readonly items: readonly InboxItem[];
}

/** A waiting run, or a roll-up of fan-out children of one parent step waiting for the same thing. */
export interface InboxItem extends InboxEntry {
  /** Fan-out children of one parent step: "3 of 12 documents await review". */
  readonly rollup?: { readonly waiting: number; readonly total: number; readonly label: string; readonly children: readonly InboxEntry[] };
}

/** `GET /api/runs?status=&runbook=&limit=`: recent runs, newest first. */
export interface RunsResponse {
  readonly runs: readonly RunListItem[];
}

export interface RunListItem {
  readonly run_id: string;
  readonly runbook: string;
  readonly title: string;
  readonly status: RunStatus;
  readonly step: string | null;
  readonly started_at: string | null;
  readonly closed_at: string | null;
  readonly identity: Readonly<Record<string, unknown>>;
  readonly parent_run_id: string | null;
}

/** `GET /api/runs/:id` and every `state` event of `GET /api/runs/:id/events`. */
export interface RunPageResponse {
  readonly state: UiState;
  /** The definition the run is pinned to (its steps, signals and schemas). */
  readonly definition: Runbook | null;
  /** What the signed-in person may do on this run now, with the reason when not. */
  readonly can: {
    readonly act: boolean;
    readonly signal: boolean;
    readonly cancel: boolean;
    /** Why acting is not offered (missing role, separation of duties), for the page to say. */
    readonly act_blocked_reason: string | null;
  };
  /** The pending review's corrections JSON Schema, if it is a review with corrections. */
  readonly corrections_schema: object | null;
}

/** `GET /api/runs/:id/events`: server-sent events. `event: state` with a RunPageResponse as data, on every change (and once at once). */
export type RunEventName = 'state';

/** `POST /api/runs` */
export interface StartRequest {
  readonly runbook: string;
  readonly input: unknown;
}
export interface StartResponse {
  readonly run_id: string;
}

/** `POST /api/runs/:id/action`: the actor is the signed-in person, never taken from the body. */
export interface ActionRequest {
  readonly step: string;
  /** A review's outcome; for an agent's question `answered` (`payload` is the answer) or `declined` (`comment` says why). */
  readonly action: ReviewOutcome | 'answered' | 'declined';
  readonly comment?: string;
  readonly corrections?: unknown;
  /** The answer to an agent's question (with `answered`). */
  readonly payload?: unknown;
}

/** `POST /api/runs/:id/signal` */
export interface SignalRequest {
  readonly name: string;
  readonly payload: unknown;
}

/**
 * `POST /api/runs/:id/uploads?filename=NAME` with the file as the raw body (`application/octet-stream`):
 * stores a large file with the upload step's `display_hint.store_with` handler and returns what that
 * handler returned (e.g. `{ document_id }`) to put into the signal's payload (by reference).
 */
export interface UploadResponse {
  readonly stored: Readonly<Record<string, unknown>>;
}

/** `POST /api/runs/:id/cancel` answers `{ ok: true }`; so do action and signal. */
export interface OkResponse {
  readonly ok: true;
}

// ---------------------------------------------------------------------------------------------
// The editor (role `editor` on every route below, reads included). A runbook file is addressed by
// its slug (the `slug:` it declares, else its file name without `.yaml`), so an invalid file opens
// too. The working text lives in the browser; the server applies operations and validates.
// ---------------------------------------------------------------------------------------------

/** A diagnostic as the editor shows it: on a step (when it lies inside one) and on a YAML line. */
export interface EditorDiagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly pointer: string;
  /** The step the diagnostic lies in (from its pointer), if any. */
  readonly step: string | null;
  readonly related: readonly { readonly message: string; readonly line: number; readonly column: number; readonly file: string }[];
}

/** What the editor knows about a text: validated as `runbook validate` does (schema, semantic, reorder safety, handlers, child slugs). */
export interface EditorAnalysis {
  readonly slug: string | null;
  /** No errors (warnings allowed): the text may be saved. */
  readonly valid: boolean;
  readonly diagnostics: readonly EditorDiagnostic[];
  /** The steps as listed; null when the text does not parse far enough to have steps (the editor shows the text alone). */
  readonly steps: readonly StepOutline[] | null;
  /** Server time spent validating, ms. */
  readonly elapsed_ms: number;
}

/** `GET /api/editor/runbooks`: every runbook file of the runbooks directory. */
export interface EditorFilesResponse {
  readonly files: readonly { readonly slug: string; readonly path: string; readonly title: string | null; readonly valid: boolean }[];
}

/** `GET /api/editor/runbooks/:slug`: the file as on disk. */
export interface EditorDocument {
  readonly slug: string;
  /** Relative to the runbooks directory. */
  readonly path: string;
  readonly text: string;
  /** sha256 hex of the file's bytes: the `base_hash` of a save. */
  readonly hash: string;
  readonly analysis: EditorAnalysis;
  /** The definition hash the worker (or this console) serves for the slug now, null when none. */
  readonly served_hash: string | null;
  /** The last save through the editor, if any. */
  readonly last_saved: { readonly by: string; readonly at: string; readonly hash: string } | null;
  /** The step templates `insert` takes. */
  readonly templates: readonly StepTemplate[];
}

/** `POST /api/editor/runbooks/:slug/analyze` */
export interface EditorAnalyzeRequest {
  readonly text: string;
}

/**
 * `POST /api/editor/runbooks/:slug/apply`: one operation on the working text. 200 with the new text and
 * its analysis; 409 `EDIT_*` (an EditRefusalCode) when the operation cannot apply (the text unchanged).
 */
export interface EditorApplyRequest {
  readonly text: string;
  readonly operation: EditOperation;
}
export interface EditorApplyResponse {
  readonly text: string;
  readonly analysis: EditorAnalysis;
}

/**
 * `POST /api/editor/runbooks/:slug/save`: writes the text atomically into the runbooks directory and
 * records who saved it. Refused with 422 `RUNBOOK_INVALID` (body: ApiError & { diagnostics }) while the text
 * has errors, 409 `FILE_CHANGED` (body: ApiError & FileChangedDetails) when the file's hash is no longer `base_hash`.
 */
export interface EditorSaveRequest {
  readonly text: string;
  readonly base_hash: string;
}
export interface EditorSaveResponse {
  readonly hash: string;
  readonly saved_by: string;
  readonly saved_at: string;
}
export interface FileChangedDetails {
  readonly current_text: string;
  readonly current_hash: string;
}

/** `GET /api/editor/runbooks/:slug/served`: the definition hash served now (poll after a save until it is the saved hash). */
export interface ServedHashResponse {
  readonly served_hash: string | null;
}
