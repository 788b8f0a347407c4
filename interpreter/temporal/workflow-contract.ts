/**
 * Names and shapes shared by the interpreter workflow, its worker and its clients.
 * Sandbox-safe: plain data and types only.
 */
import type { Runbook } from '../format/runbook-format.ts';
import type { ExpressionLocation } from '../expressions/expression-locations.ts';
import type { RunOrigin, RunSnapshot } from '../core/run-state.ts';
import type { ScheduledStart } from '../core/scheduled-input.ts';

/** The one workflow type that executes every runbook. */
export const WORKFLOW_TYPE = 'runbookInterpreter';
export const DEFAULT_TASK_QUEUE = 'runbooks';

export const QUERY = {
  pendingAction: 'current_pending_action',
  steps: 'current_steps',
  uiState: 'current_ui_state',
} as const;

/** `user_action` is an Update (validated, the caller learns the reason) and also a signal (fire-and-forget). */
export const USER_ACTION = 'user_action';
/** Update delivering a domain signal with validation: `{ name, payload }`. */
export const SIGNAL_UPDATE = 'runbook_signal';
/** The local activity that resolves a slug to the definition current on the worker. */
export const RESOLVE_DEFINITION_ACTIVITY = 'runbook.resolve_definition';

/** Search attributes the interpreter maintains (Keyword but for RunbookWaitingSince); registered by the worker and the dev server. */
export const SEARCH_ATTRIBUTES = {
  slug: 'RunbookSlug',
  hash: 'RunbookDefinitionHash',
  step: 'RunbookStep',
  status: 'RunbookStatus',
  /** While a run waits on a person: what for (`display_hint.type`, else the pending action). Empty otherwise. */
  pendingAction: 'RunbookPendingAction',
  /** While a run waits on a person: its inbox entry as JSON (inbox-attributes.ts), so one visibility query lists the inbox. */
  inbox: 'RunbookInbox',
  /** While a run waits on a person: since when (Datetime), so `RunbookWaitingSince < '…'` finds the runs waiting longer. */
  waitingSince: 'RunbookWaitingSince',
} as const;

export type SearchAttributeName = (typeof SEARCH_ATTRIBUTES)[keyof typeof SEARCH_ATTRIBUTES];

/** Each attribute's type, as `temporal operator search-attribute create --type` names it. */
export const SEARCH_ATTRIBUTE_TYPES: Readonly<Record<SearchAttributeName, 'Keyword' | 'Datetime'>> = {
  RunbookSlug: 'Keyword',
  RunbookDefinitionHash: 'Keyword',
  RunbookStep: 'Keyword',
  RunbookStatus: 'Keyword',
  RunbookPendingAction: 'Keyword',
  RunbookInbox: 'Keyword',
  RunbookWaitingSince: 'Datetime',
};

export interface PinnedDefinition {
  readonly runbook: Runbook;
  readonly hash: string;
  /** Where the definition's expressions are in its file (absent in histories recorded before it existed). */
  readonly expressionLocations?: readonly ExpressionLocation[];
}

export interface InterpreterWorkflowInput {
  readonly slug: string;
  readonly input: unknown;
  /** Pinned by the parent for a child run, or carried over a continue-as-new; else resolved at start by a local activity. */
  readonly definition?: PinnedDefinition;
  readonly snapshot?: RunSnapshot;
  /** Who started the run (a client's `startedBy`) and, for a child, its parent. */
  readonly origin?: RunOrigin;
  /**
   * A start by a Temporal Schedule (schedule-sync.ts): `input` is then ignored and the schedule's input template is
   * evaluated at the run's start with the fire time (core/scheduled-input.ts). Absent from every other start.
   */
  readonly schedule?: ScheduledStart;
}

/** What a handler activity receives besides its arguments. */
export interface HandlerActivityMeta {
  readonly runId: string;
  readonly runbook: string;
  readonly stepId: string;
  readonly iteration: number;
  /** The runbook's payload limit for the result (absent from workflows older than the limit: the default applies). */
  readonly maxResultBytes?: number;
}

export interface SignalDelivery {
  readonly name: string;
  readonly payload?: unknown;
}
