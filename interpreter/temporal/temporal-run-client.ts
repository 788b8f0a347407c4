/**
 * Client side of the Temporal runtime: start runs by slug and hold RunHandles whose
 * queries, actions and signals go to the interpreter workflow. Node side.
 */
import { randomUUID } from 'node:crypto';
import {
  WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError, ApplicationFailure, CancelledFailure, TerminatedFailure,
  type Client, type WorkflowExecutionInfo, type WorkflowHandle,
} from '@temporalio/client';
import type { InboxEntry } from '../core/index.ts';
import { decodeInboxEntry } from './inbox-attributes.ts';
import { runSummary } from './run-metadata.ts';
import type { Runbook } from '../format/runbook-format.ts';
import type { PendingAction, Rejection, RunFailure, StepView, UiState, UserAction } from '../core/index.ts';
import { PAYLOAD_CEILING, SIZE_ERROR, jsonBytes, payloadTooLarge, rejectInputSize } from '../core/index.ts';
import { ActionRejectedError, RunCancelledError, RunFailedError, RunNotFoundError, StartRejectedError } from '../runtime/runtime-errors.ts';
import { hasEnded, nextPendingAction, type RunHandle, type WaitForPendingOptions } from '../runtime/run-handle.ts';
import { DEFAULT_TASK_QUEUE, QUERY, SEARCH_ATTRIBUTES, SIGNAL_UPDATE, USER_ACTION, WORKFLOW_TYPE, type InterpreterWorkflowInput } from './workflow-contract.ts';

export interface TemporalStartOptions {
  readonly runId?: string;
  readonly taskQueue?: string;
  /** Who starts the run (the console's signed-in person): in its state, timeline and separation of duties. */
  readonly startedBy?: string;
  /**
   * The definition the caller knows for the slug (the console's catalog, the CLI's runbooks): the run's static
   * summary in Temporal's tools then names the runbook and its identity ("Month-end close · acme-uk · 2025-01");
   * without it, the slug. The worker still resolves and pins its own.
   */
  readonly definition?: Runbook;
}

/** A run as visibility lists it (no query to the run). */
export interface TemporalRunSummary {
  readonly run_id: string;
  readonly runbook: string | null;
  readonly status: 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
  readonly step: string | null;
  readonly started_at: string | null;
  readonly closed_at: string | null;
  readonly parent_run_id: string | null;
}

export interface ListRunsOptions {
  /** Newest first, at most this many (default 100). */
  readonly limit?: number;
  /** Only runs of this runbook (top-level runs carry RunbookSlug). */
  readonly runbook?: string;
  /** A further visibility filter, ANDed. */
  readonly query?: string;
}

const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function runStatusOf(info: WorkflowExecutionInfo): TemporalRunSummary['status'] {
  switch (info.status.name) {
    case 'COMPLETED': return 'completed';
    case 'FAILED': case 'TIMED_OUT': return 'failed';
    case 'CANCELLED': case 'TERMINATED': return 'cancelled';
    case 'CONTINUED_AS_NEW': return 'running';
    default: return keywordOf(info, SEARCH_ATTRIBUTES.status) === 'waiting' ? 'waiting' : 'running';
  }
}

function keywordOf(info: WorkflowExecutionInfo, name: string): string | null {
  const value = (info.searchAttributes as Record<string, unknown[] | undefined> | undefined)?.[name]?.[0];
  return typeof value === 'string' ? value : null;
}

/** A Datetime attribute as ISO text (visibility decodes it to a Date). */
function datetimeOf(info: WorkflowExecutionInfo, name: string): string | null {
  const value = (info.searchAttributes as Record<string, unknown[] | undefined> | undefined)?.[name]?.[0];
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Maps a failed Update (a validator rejection) to ActionRejectedError. */
function rejectionOf(error: unknown): never {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const code = error.cause.type as Rejection['code'];
    // The workflow leads the message with the code (for the Web UI); histories before it did not.
    const message = error.cause.message.startsWith(`${code}: `) ? error.cause.message.slice(code.length + 2) : error.cause.message;
    throw new ActionRejectedError({ code, message });
  }
  throw error;
}

/**
 * Refuses, before sending, what no runbook would accept: over the ceiling of the payload limit the message
 * would otherwise be gRPC's (over ~4 MB) or a failed workflow task (over 2 MB). The run's own, possibly
 * lower, limit is checked by the Update's validator.
 */
function refuseOverCeiling(field: string, value: unknown): void {
  const bytes = jsonBytes(value);
  if (bytes > PAYLOAD_CEILING.payloadBytes) throw new ActionRejectedError({ code: SIZE_ERROR.payload, message: payloadTooLarge(field, bytes, PAYLOAD_CEILING.payloadBytes) });
}

/** `waitForChange` polls the ui state query (all Temporal offers to read a run), backing off while nothing changes. */
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1_000;

export class TemporalRunHandle implements RunHandle {
  constructor(private readonly handle: WorkflowHandle) {}

  get runId(): string {
    return this.handle.workflowId;
  }

  private async query<T>(name: string): Promise<T> {
    try {
      return await this.handle.query<T>(name);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new RunNotFoundError(this.runId);
      throw error;
    }
  }

  currentPendingAction(): Promise<PendingAction | null> {
    return this.query(QUERY.pendingAction);
  }

  waitForPendingAction(options?: WaitForPendingOptions): Promise<PendingAction | null> {
    return nextPendingAction((since) => this.waitForChange(since), options);
  }

  /**
   * Polls `current_ui_state` (50 ms, backing off to 1 s while nothing changes); the run closing is seen
   * at once through a long poll on its result. A query never sees a run half-way through taking in an
   * action or signal: the workflow reacts within the workflow task that delivers it.
   */
  async waitForChange(since: number): Promise<UiState> {
    const abort = new AbortController();
    const closed = this.handle.client.withAbortSignal(abort.signal, () => this.handle.result()).then(
      () => true,
      () => true,
    );
    try {
      for (let wait = FIRST_POLL_MS; ; wait = Math.min(MAX_POLL_MS, wait * 1.5)) {
        const state = await this.currentUiState();
        if (state.version > since || hasEnded(state)) return state;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const tick = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), wait)));
        const ended = await Promise.race([closed, tick]);
        clearTimeout(timer);
        if (ended) return endedState(await this.currentUiState());
      }
    } finally {
      abort.abort();
    }
  }

  currentSteps(): Promise<StepView[]> {
    return this.query(QUERY.steps);
  }

  currentUiState(): Promise<UiState> {
    return this.query(QUERY.uiState);
  }

  async userAction(action: UserAction): Promise<void> {
    refuseOverCeiling('the user action', action);
    await this.handle.executeUpdate(USER_ACTION, { args: [action] }).catch(async (error: unknown) => {
      // The run closed before the action reached it (another action ended it): nothing is pending, as in-process.
      if (error instanceof WorkflowNotFoundError && (await this.closed())) {
        throw new ActionRejectedError({ code: 'NO_PENDING_ACTION', message: 'the run has ended; nothing is waiting for a user action' });
      }
      return rejectionOf(error);
    });
  }

  /** True when the run exists and is no longer running. */
  private async closed(): Promise<boolean> {
    try {
      return (await this.handle.describe()).status.name !== 'RUNNING';
    } catch {
      return false;
    }
  }

  async signal(name: string, payload: unknown = null): Promise<void> {
    refuseOverCeiling(`signal "${name}"'s payload`, payload);
    await this.handle.executeUpdate(SIGNAL_UPDATE, { args: [{ name, payload }] }).catch(rejectionOf);
  }

  async result(): Promise<unknown> {
    try {
      return await this.handle.result();
    } catch (error) {
      if (error instanceof WorkflowFailedError) {
        const cause = error.cause;
        if (cause instanceof CancelledFailure || cause instanceof TerminatedFailure) throw new RunCancelledError(this.runId);
        if (cause instanceof ApplicationFailure) {
          const detail = cause.details?.[0] as RunFailure | undefined;
          const stack = detail?.stack ? { stack: detail.stack } : {};
          throw new RunFailedError({ step: detail?.step ?? null, type: cause.type ?? 'Error', message: detail?.message ?? cause.message, ...stack });
        }
      }
      throw error;
    }
  }

  async cancel(): Promise<void> {
    await this.handle.cancel();
  }
}

/** The last state of a closed run; a terminated run's last state still reads running. */
function endedState(state: UiState): UiState {
  return hasEnded(state) ? state : { ...state, status: 'cancelled', pending_action: null };
}

export class TemporalRunClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string = DEFAULT_TASK_QUEUE,
  ) {}

  /** Starts a run of `slug`; the worker resolves and pins the definition. */
  async start(slug: string, input: unknown, options: TemporalStartOptions = {}): Promise<TemporalRunHandle> {
    const tooLarge = rejectInputSize(undefined, input, PAYLOAD_CEILING);
    if (tooLarge) throw new StartRejectedError('PAYLOAD_TOO_LARGE', `input for ${slug}: ${tooLarge.message}`);
    const args: InterpreterWorkflowInput = { slug, input, ...(options.startedBy ? { origin: { started_by: options.startedBy } } : {}) };
    const handle = await this.client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: options.taskQueue ?? this.taskQueue,
      workflowId: options.runId ?? `${slug}-${randomUUID()}`,
      args: [args],
      searchAttributes: { [SEARCH_ATTRIBUTES.slug]: [slug], [SEARCH_ATTRIBUTES.status]: ['running'] },
      // A run id is also the root of every idempotency key: a completed run's id is never reused
      // (its handlers would see the same keys); a failed or cancelled run may be retried under it.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      memo: { runbook: slug },
      staticSummary: runSummary(options.definition, slug, input),
    });
    return new TemporalRunHandle(handle);
  }

  /**
   * Starts a run and waits for its first workflow task, so an unknown slug or
   * invalid input surfaces as a StartRejectedError instead of a failed run.
   */
  async startChecked(slug: string, input: unknown, options: TemporalStartOptions = {}): Promise<TemporalRunHandle> {
    const run = await this.start(slug, input, options);
    const handle = this.client.workflow.getHandle(run.runId);
    for (let waited = 0; waited < 30_000; waited += 50) {
      const { status } = await handle.describe();
      if (status.name === 'FAILED') {
        try {
          await run.result();
        } catch (error) {
          const type = error instanceof RunFailedError ? error.failure.type : undefined;
          if (error instanceof RunFailedError && (type === 'RUNBOOK_UNKNOWN' || type === 'INPUT_INVALID' || type === SIZE_ERROR.payload)) {
            throw new StartRejectedError(type, error.failure.message);
          }
          throw error;
        }
      }
      if (status.name !== 'RUNNING' || (await run.currentSteps()).length > 0) return run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return run;
  }

  /** A handle on an existing run. */
  get(runId: string): TemporalRunHandle {
    return new TemporalRunHandle(this.client.workflow.getHandle(runId));
  }

  /**
   * Every run waiting on a person, children included, from ONE visibility query over the inbox search
   * attributes (no query to any run). Visibility is eventually consistent: a wait shows up within moments.
   */
  async listInbox(options: { readonly limit?: number } = {}): Promise<InboxEntry[]> {
    const limit = options.limit ?? 5_000;
    const query = `WorkflowType = ${quote(WORKFLOW_TYPE)} AND ExecutionStatus = 'Running' AND ${SEARCH_ATTRIBUTES.status} = 'waiting'`;
    const entries: InboxEntry[] = [];
    for await (const info of this.client.workflow.list({ query, pageSize: 1_000 })) {
      const entry = decodeInboxEntry(info.workflowId, keywordOf(info, SEARCH_ATTRIBUTES.inbox));
      // The entry carries waiting_since; RunbookWaitingSince holds the same instant (runs started before it have only the entry's).
      if (entry) entries.push(entry.waiting_since === null ? { ...entry, waiting_since: datetimeOf(info, SEARCH_ATTRIBUTES.waitingSince) } : entry);
      if (entries.length >= limit) break;
    }
    return entries;
  }

  /** Recent runs, newest first, from visibility. */
  async listRuns(options: ListRunsOptions = {}): Promise<TemporalRunSummary[]> {
    const limit = options.limit ?? 100;
    const filters = [`WorkflowType = ${quote(WORKFLOW_TYPE)}`];
    if (options.runbook) filters.push(`${SEARCH_ATTRIBUTES.slug} = ${quote(options.runbook)}`);
    if (options.query) filters.push(`(${options.query})`);
    const runs: TemporalRunSummary[] = [];
    for await (const info of this.client.workflow.list({ query: filters.join(' AND '), pageSize: Math.min(limit, 1_000) })) {
      runs.push({
        run_id: info.workflowId,
        runbook: keywordOf(info, SEARCH_ATTRIBUTES.slug) ?? (info.memo?.runbook as string | undefined) ?? null,
        status: runStatusOf(info),
        step: keywordOf(info, SEARCH_ATTRIBUTES.step),
        started_at: info.startTime.toISOString(),
        closed_at: info.closeTime?.toISOString() ?? null,
        parent_run_id: info.parentExecution?.workflowId ?? null,
      });
      if (runs.length >= limit) break;
    }
    return runs;
  }
}
