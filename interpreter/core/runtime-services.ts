/**
 * What the interpreter core needs from a runtime. The in-process runtime and the
 * Temporal workflow each implement it; the core never imports either.
 * Sandbox-safe (types only).
 */
import type { RetryPolicy, Runbook } from '../format/runbook-format.ts';
import type { RunEvent } from './run-events.ts';
import type { ParentRef, RunFailure, RunOrigin, RunSnapshot } from './run-state.ts';
import type { ExpressionLocation } from '../expressions/expression-locations.ts';

export interface HandlerCall {
  readonly handler: string;
  readonly args: unknown;
  readonly stepId: string;
  readonly iteration: number;
  readonly retry: Required<Omit<RetryPolicy, 'non_retryable_types'>> & { readonly non_retryable_types: readonly string[] };
  readonly timeoutMs: number;
  readonly local: boolean;
  /** On Temporal, the activity's heartbeat timeout (a long poll heartbeats; a dead worker is noticed after this). */
  readonly heartbeatMs?: number;
  /** The runbook's payload limit: a larger result fails the step with PAYLOAD_TOO_LARGE (checked where the handler runs). */
  readonly maxResultBytes: number;
  /** Called before each retry (in-process; on Temporal the server retries the activity and the console reads attempts from it). */
  readonly onRetry?: (attempt: number, error: RunFailure) => void;
}

export interface ChildCall {
  readonly slug: string;
  readonly input: unknown;
  /** Derived from the parent's run id, the step id, its iteration and the item index: stable on replay. */
  readonly childRunId: string;
  readonly stepId: string;
  readonly index: number;
  /** How the child relates to the run that starts it, and who started that run (children inherit it). */
  readonly origin: { readonly started_by: string | null; readonly parent: ParentRef };
}

export interface ChildStarted {
  /** The child's runbook title, for the nested ladder. */
  readonly title: string;
  /** Settles with the child's output; rejects with a StepFailure. */
  readonly result: Promise<unknown>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface RuntimeServices {
  /** Current time in epoch ms (the workflow clock on Temporal, a simulated clock in tests). */
  now(): number;
  /** Runs a handler with its retry policy and timeout; rejects with a StepFailure once retries are exhausted. */
  callHandler(call: HandlerCall): Promise<unknown>;
  /** Starts a child run; rejects with a StepFailure if it cannot be started. */
  startChild(call: ChildCall): Promise<ChildStarted>;
  sleep(ms: number): Promise<void>;
  /** Resolves true when `condition` holds, false when `timeoutMs` passes first. Event-driven: re-checked on `notify`. */
  waitFor(condition: () => boolean, timeoutMs?: number): Promise<boolean>;
  /** The run's state changed (a signal or user action arrived): re-check waits. */
  notify(): void;
  /**
   * Called between steps; a runtime may continue-as-new here (it then never returns).
   * `takeSnapshot` copies the run state: call it only when continuing (a copy per step is O(steps)).
   */
  betweenSteps(takeSnapshot: () => RunSnapshot): Promise<void>;
  emit(event: RunEvent): void;
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  /** True when the error means the run was cancelled (it propagates, untouched). */
  isCancellation(error: unknown): boolean;
  /**
   * Whether a change of the interpreter's behaviour (an id from core/patches.ts) applies to this run: always
   * in-process; on Temporal `patched(id)` as decided at the start of the workflow execution (false when
   * replaying a history recorded before the change).
   */
  patched(id: string): boolean;
}

/** What a run is started with: the definition is pinned here, never re-read. */
export interface RunStart {
  /** The id people see and act on (the Temporal workflow id). A new run may reuse the id of an earlier, closed one. */
  readonly runId: string;
  /**
   * This execution of the run, never reused by a new run with the same `runId`: the key of the run's idempotent
   * side effects (a `commit` is stored once per execution, step and iteration). On Temporal the workflow's
   * firstExecutionRunId (the same across replays, activity retries, continue-as-new, workflow retries and resets);
   * in-process a random id per run. Default: `runId` (a runtime that never reuses run ids).
   */
  readonly executionId?: string;
  readonly definition: Runbook;
  readonly definitionHash: string;
  readonly input: unknown;
  /** Present when resuming after continue-as-new. */
  readonly snapshot?: RunSnapshot;
  /** Where the definition's expressions are in its file, for failure messages (loader: expression-locations.ts). */
  readonly expressionLocations?: readonly ExpressionLocation[];
  /** Who started the run and its parent, if any. */
  readonly origin?: RunOrigin;
}
