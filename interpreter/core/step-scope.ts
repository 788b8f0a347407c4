/**
 * The narrow view of a run that a step executor gets: evaluation, its record,
 * the runtime, and the waits it may advertise. Sandbox-safe.
 */
import type { Step } from '../format/runbook-format.ts';
import type { ExpressionContext } from '../expressions/template.ts';
import type { RuntimeServices } from './runtime-services.ts';
import type { ChildView, PendingAction, ReceivedSignal, RunFailure, StepRecord, UserAction } from './run-state.ts';
import type { SizeLimits } from './size-limits.ts';

export interface StepScope {
  readonly runId: string;
  /** This execution of the run (RunStart.executionId): a new run reusing `runId` has another one. */
  readonly executionId: string;
  readonly slug: string;
  /** The content hash of the definition the run executes (recorded with committed documents). */
  readonly definitionHash: string;
  /** The actor of the last review decision so far (null: none, or nobody named). */
  lastReviewer(): string | null;
  readonly step: Step;
  readonly record: StepRecord;
  readonly services: RuntimeServices;
  /** Evaluates a template value; a failing expression becomes a StepFailure naming the step. */
  evaluate(value: unknown, extra?: Partial<ExpressionContext>): Promise<unknown>;
  /** Who started the run (null: nobody named). */
  readonly startedBy: string | null;
  /**
   * Advertises a pending action (status waiting) until `clearPending`; the run adds since, deadline, step title and who may act.
   * The deadline: `deadlineAt` (epoch ms), or `deadlineAfterMs` after `since` (the same clock reading).
   */
  setPending(pending: PendingAction, options?: { readonly correctionsSchema?: object; readonly deadlineAt?: number; readonly deadlineAfterMs?: number }): void;
  clearPending(by: string): void;
  /** Records a review's decision on the timeline (the person's action, or the deadline's default outcome). */
  recordDecision(action: UserAction | undefined, outcome: string): void;
  /** A handler call failed and is retried: `attempt` is the attempt about to run. */
  recordRetry(attempt: number, error: RunFailure): void;
  /** Waits for a valid user action on this step; undefined when the deadline passes first. */
  awaitUserAction(timeoutMs?: number): Promise<UserAction | undefined>;
  /** Signals received so far (consumed or not), in arrival order. */
  readonly signals: ReceivedSignal[];
  /** Resolves true when a signal arrives after `seen` signals, false on timeout. */
  awaitSignalAfter(seen: number, timeoutMs?: number): Promise<boolean>;
  /** The run's size limits (size-limits.ts). */
  readonly limits: SizeLimits;
  /** Throws a StepFailure PAYLOAD_TOO_LARGE naming `field` when `value` is over the payload limit. */
  checkPayloadSize(field: string, value: unknown): void;
  /** Updates the nested children shown under this step. */
  setChildren(children: ChildView[]): void;
}
