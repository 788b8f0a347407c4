/**
 * RuntimeServices inside the Temporal workflow sandbox: handler calls as activities,
 * timers as Temporal timers, children as child workflows. Sandbox-only imports.
 */
import * as wf from '@temporalio/workflow';
import type { ChildCall, ChildStarted, HandlerCall, LogLevel, RunEvent, RunFailure, RunSnapshot, RuntimeServices, UiState } from '../core/index.ts';
import { inboxEntryOf } from '../core/index.ts';
import { encodeInboxEntry } from './inbox-attributes.ts';
import { ATTRIBUTE_KEYS, childStartAttributes } from './run-attributes.ts';
import { childSummary, stepLabel, type RunMetadata } from './run-metadata.ts';
import { FAILURE, PATCH, StepFailure, childFailure, parseDuration, rejectInput, rejectInputSize } from '../core/index.ts';
import { RESOLVE_DEFINITION_ACTIVITY, type HandlerActivityMeta, type InterpreterWorkflowInput, type PinnedDefinition } from './workflow-contract.ts';

type ActivityFn = (...args: unknown[]) => Promise<unknown>;

/** The failure a Temporal error carries, as the core's StepFailure. */
export function stepFailureOf(error: unknown): StepFailure {
  if (error instanceof StepFailure) return error;
  let cause: unknown = error;
  while (cause instanceof wf.ActivityFailure || cause instanceof wf.ChildWorkflowFailure) cause = cause.cause ?? cause;
  // The activity sends a stack only for a plain Error a handler threw (handler-activities.ts).
  if (cause instanceof wf.ApplicationFailure) return new StepFailure(cause.message, cause.type ?? 'Error', cause.nonRetryable ?? false, cause.stack);
  if (cause instanceof wf.TimeoutFailure) return new StepFailure(cause.message || 'timed out', FAILURE.timeout, false);
  if (cause instanceof Error) return new StepFailure(cause.message, cause.name || 'Error', false);
  return new StepFailure(String(cause), 'Error', false);
}

const { step: stepKey, status: statusKey, hash: hashKey, pendingAction: pendingActionKey, inbox: inboxKey, waitingSince: waitingSinceKey } = ATTRIBUTE_KEYS;

export class TemporalServices implements RuntimeServices {
  /** Reads the run's state for the inbox attributes (set once the interpreter exists). */
  inboxSource: (() => UiState) | undefined;
  /** The run's user metadata (run-metadata.ts): current details and the summaries of timers; set by workflow.ts. */
  metadata: RunMetadata | undefined;

  constructor(
    private readonly meta: { runId: string; slug: string; definitionHash: string },
    private readonly continueWith: (snapshot: RunSnapshot) => InterpreterWorkflowInput,
    private readonly childWorkflow: string,
    /** Patch decisions taken at the start of the execution (workflow.ts). */
    private readonly patches: ReadonlySet<string>,
  ) {}

  now(): number {
    return Date.now();
  }

  async callHandler(call: HandlerCall): Promise<unknown> {
    const retry = {
      maximumAttempts: call.retry.max_attempts,
      initialInterval: parseDuration(call.retry.initial_interval),
      backoffCoefficient: call.retry.backoff_coefficient,
      maximumInterval: parseDuration(call.retry.max_interval),
      nonRetryableErrorTypes: [...call.retry.non_retryable_types],
    };
    // The summary names the step in the Web UI's timeline (user metadata: no history event of its own).
    const options = { startToCloseTimeout: call.timeoutMs, retry, summary: stepLabel(call.stepId, call.iteration), ...(call.heartbeatMs === undefined ? {} : { heartbeatTimeout: call.heartbeatMs }) };
    const activities = (call.local ? wf.proxyLocalActivities(options) : wf.proxyActivities(options)) as Record<string, ActivityFn>;
    const meta: HandlerActivityMeta = { runId: this.meta.runId, runbook: this.meta.slug, stepId: call.stepId, iteration: call.iteration, maxResultBytes: call.maxResultBytes };
    try {
      return await activities[call.handler](call.args, meta);
    } catch (error) {
      if (wf.isCancellation(error)) throw error;
      throw stepFailureOf(error);
    }
  }

  async startChild(call: ChildCall): Promise<ChildStarted> {
    // Resolved at dispatch time and recorded in history (a local activity marker): replay never re-reads it.
    const resolve = wf.proxyLocalActivities({ startToCloseTimeout: 10_000 })[RESOLVE_DEFINITION_ACTIVITY] as (slug: string) => Promise<PinnedDefinition | null>;
    const definition = await resolve(call.slug);
    if (!definition) throw new StepFailure(`step "${call.stepId}": no runbook "${call.slug}" is loaded on the worker`, 'CHILD_RUNBOOK_UNKNOWN', true);
    const tooLarge = rejectInputSize(definition.runbook, call.input);
    if (tooLarge && this.patched(PATCH.sizeLimits)) throw new StepFailure(`step "${call.stepId}": input for child ${call.slug}[${call.index}]: ${tooLarge.message}`, tooLarge.code, true);
    const problems = rejectInput(definition.runbook, call.input);
    if (problems) throw new StepFailure(`step "${call.stepId}": input for child ${call.slug}[${call.index}]: ${problems}`, 'CHILD_INPUT_INVALID', true);
    const args: InterpreterWorkflowInput = { slug: call.slug, input: call.input, definition, origin: call.origin };
    const handle = await wf.startChild(this.childWorkflow, {
      workflowId: call.childRunId,
      args: [args],
      // Found by `RunbookSlug='<slug>'` from its start; named in the Web UI by its runbook, identity and fan-out item.
      typedSearchAttributes: childStartAttributes(call.slug),
      memo: { runbook: call.slug },
      staticSummary: childSummary(definition.runbook, call.input, call.stepId, call.origin.parent.count > 1 ? call.index : undefined),
    });
    const result = handle.result().catch((error: unknown) => {
      if (wf.isCancellation(error)) throw error;
      // As in-process: the message names the child run and the child's failing step, not only its last words.
      const failure = stepFailureOf(error);
      const detail = error instanceof wf.ChildWorkflowFailure && error.cause instanceof wf.ApplicationFailure ? (error.cause.details?.[0] as RunFailure | undefined) : undefined;
      const stack = detail?.stack ? { stack: detail.stack } : {};
      throw childFailure(call.childRunId, { step: detail?.step ?? null, type: failure.type, message: detail?.message ?? failure.message, ...stack });
    });
    return { title: definition.runbook.title, result };
  }

  sleep(ms: number): Promise<void> {
    return wf.sleep(ms, { summary: this.metadata?.timerSummary(false) });
  }

  async waitFor(condition: () => boolean, timeoutMs?: number): Promise<boolean> {
    if (timeoutMs === undefined) {
      await wf.condition(condition);
      return true;
    }
    // Never 0: the SDK turns condition(fn, 0) into a patch marker and no timer, and a remaining time computed
    // from Date.now() can come out 0 on replay but not originally (the workflow clock of the activation that
    // resolves the definition's local activity differs), which replays as a missing timer (nondeterminism).
    return wf.condition(condition, Math.max(1, timeoutMs), { summary: this.metadata?.timerSummary(true) });
  }

  notify(): void {
    // Temporal re-evaluates conditions after every signal and update.
  }

  async betweenSteps(takeSnapshot: () => RunSnapshot): Promise<void> {
    if (wf.workflowInfo().continueAsNewSuggested) await wf.continueAsNew<(input: InterpreterWorkflowInput) => Promise<unknown>>(this.continueWith(takeSnapshot()));
  }

  emit(event: RunEvent): void {
    // Current details are read by the metadata query, never recorded: no history event.
    if (this.metadata?.observe(event)) wf.setCurrentDetails(this.metadata.details());
    // Search attributes only change around waits on people, so plain steps cost no extra history
    // events; the definition hash rides along (it is also in the resolve marker of every run).
    // The inbox attributes and RunbookWaitingSince ride on the same two upserts (still one event per wait and one
    // per resume); RunbookWaitingSince only in runs that took its patch (recorded histories upsert without it).
    const waitingSince = this.patched(PATCH.waitingSince);
    if (event.type === 'step.waiting') {
      const entry = this.inboxSource ? inboxEntryOf({ ...this.inboxSource(), status: 'waiting', pending_action: event.pending }) : null;
      // The pending action's `since`: the workflow clock of the task that started the wait (what the inbox shows).
      const since = event.pending.since ? new Date(event.pending.since) : new Date(Date.now());
      wf.upsertSearchAttributes([
        { key: stepKey, value: event.stepId },
        { key: statusKey, value: 'waiting' },
        { key: hashKey, value: this.meta.definitionHash },
        ...(entry ? [{ key: pendingActionKey, value: entry.hint_type ?? entry.action }, { key: inboxKey, value: encodeInboxEntry(entry) }] : []),
        ...(waitingSince ? [{ key: waitingSinceKey, value: since }] : []),
      ]);
    } else if (event.type === 'step.resumed') {
      wf.upsertSearchAttributes([
        { key: statusKey, value: 'running' },
        { key: pendingActionKey, value: null },
        { key: inboxKey, value: null },
        ...(waitingSince ? [{ key: waitingSinceKey, value: null }] : []),
      ]);
    }
  }

  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    wf.log[level](message, fields ?? {});
  }

  isCancellation(error: unknown): boolean {
    return wf.isCancellation(error);
  }

  patched(id: string): boolean {
    return this.patches.has(id);
  }
}
