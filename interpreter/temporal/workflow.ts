/**
 * The one Temporal workflow type that executes every runbook. Runs in the workflow
 * sandbox: the definition comes from the start input or a first local activity
 * (recorded in history), never from a file.
 */
import * as wf from '@temporalio/workflow';
import { defineSearchAttributeKey } from '@temporalio/common';
import { RunbookInterpreter } from '../core/interpreter.ts';
import { rejectInput, rejectInputSize } from '../core/action-rules.ts';
import { PAYLOAD_CEILING, SIZE_ERROR, jsonBytes, payloadTooLarge } from '../core/size-limits.ts';
import { PATCH, PATCH_IDS } from '../core/patches.ts';
import { scheduledInput } from '../core/scheduled-input.ts';
import type { RunSnapshot, UiState, UserAction } from '../core/run-state.ts';
import type { Rejection } from '../core/action-rules.ts';
import { TemporalServices } from './temporal-services.ts';
import { FinalAttributes, ensureStartAttributes } from './run-attributes.ts';
import { RunMetadata } from './run-metadata.ts';
import { HANDLER_DESCRIPTIONS, registerDeclaredSignals } from './handler-descriptions.ts';
import {
  QUERY, RESOLVE_DEFINITION_ACTIVITY, SIGNAL_UPDATE, USER_ACTION, WORKFLOW_TYPE,
  type InterpreterWorkflowInput, type PinnedDefinition, type SignalDelivery,
} from './workflow-contract.ts';

const resolveDefinition = wf.proxyLocalActivities({ startToCloseTimeout: 10_000, retry: { maximumAttempts: 3 } })[
  RESOLVE_DEFINITION_ACTIVITY
] as (slug: string) => Promise<PinnedDefinition | null>;

export const pendingActionQuery = wf.defineQuery(QUERY.pendingAction);
export const stepsQuery = wf.defineQuery(QUERY.steps);
export const uiStateQuery = wf.defineQuery(QUERY.uiState);
export const userActionUpdate = wf.defineUpdate<null, [UserAction]>(USER_ACTION);
export const userActionSignal = wf.defineSignal<[UserAction]>(USER_ACTION);
export const signalUpdate = wf.defineUpdate<null, [SignalDelivery]>(SIGNAL_UPDATE);

/**
 * An Update's rejection: the code is the failure's type and leads the message (the Web UI shows the message),
 * and no stack (a rejection is an answer, not a crash; clients map the type to the code).
 */
function rejected(rejection: Rejection): wf.ApplicationFailure {
  const failure = wf.ApplicationFailure.create({ type: rejection.code, message: `${rejection.code}: ${rejection.message}`, nonRetryable: true });
  failure.stack = '';
  return failure;
}

/** What the queries show before the definition is resolved (the first local activity). */
function startingState(slug: string): UiState {
  return {
    run_id: wf.workflowInfo().workflowId, runbook: slug, title: slug, status: 'running', current_step: null, pending_action: null, steps: [], error: null,
    unconsumed_signals: [], version: 0, started_by: null, started_at: wf.workflowInfo().startTime.toISOString(), ended_at: null, parent: null, identity: {}, timeline: [],
  };
}

/** Before the definition is resolved, no runbook's limit is known: refuse what no runbook could accept (history must not hold it). */
function rejectOverCeiling(field: string, value: unknown): void {
  const bytes = jsonBytes(value);
  if (bytes > PAYLOAD_CEILING.payloadBytes) throw rejected({ code: SIZE_ERROR.payload, message: payloadTooLarge(field, bytes, PAYLOAD_CEILING.payloadBytes) });
}

const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');

/**
 * When the schedule fired: the `TemporalScheduledStartTime` the Schedule sets on every run it starts (the nominal time,
 * so a buffered or retried start still computes the period it was meant for), else the run's start time.
 */
function scheduledFireTime(): number {
  return (wf.workflowInfo().typedSearchAttributes.get(SCHEDULED_START_TIME) ?? wf.workflowInfo().startTime).getTime();
}

/** Executes any runbook. Fails with an ApplicationFailure whose type is the failing step's error type. */
export async function runbookInterpreter(start: InterpreterWorkflowInput): Promise<unknown> {
  // Decided first, in the first activation (core/patches.ts says why): a history recorded before a change replays without it.
  const patches = new Set(PATCH_IDS.filter((id) => wf.patched(id)));
  if (patches.has(PATCH.finalAttributes)) ensureStartAttributes(start.slug);
  const final = new FinalAttributes(patches.has(PATCH.finalAttributes), patches.has(PATCH.waitingSince));
  wf.setCurrentDetails(`**${start.slug}**\n\nStarting: resolving the definition`);
  // Handlers are registered before the first await so early queries, actions and signals are never lost.
  let interpreter: RunbookInterpreter | undefined;
  const early: SignalDelivery[] = [];
  const ready = () => wf.condition(() => interpreter !== undefined);

  wf.setHandler(pendingActionQuery, () => interpreter?.currentPendingAction() ?? null, { description: HANDLER_DESCRIPTIONS.pendingAction });
  wf.setHandler(stepsQuery, () => interpreter?.currentSteps() ?? [], { description: HANDLER_DESCRIPTIONS.steps });
  wf.setHandler(uiStateQuery, () => interpreter?.currentUiState() ?? startingState(start.slug), { description: HANDLER_DESCRIPTIONS.uiState });
  wf.setHandler(
    userActionUpdate,
    async (action) => {
      // Applied at once when the run is ready (no await): a second action in the same task then sees the review
      // already taken (NO_PENDING_ACTION), as in-process, instead of the next step's review (WRONG_STEP).
      if (!interpreter) await ready();
      const rejection = interpreter!.validateUserAction(action);
      if (rejection) throw rejected(rejection);
      interpreter!.applyUserAction(action);
      return null;
    },
    {
      description: HANDLER_DESCRIPTIONS.userActionUpdate,
      validator: (action) => {
        if (!interpreter) return rejectOverCeiling('the user action', action);
        const rejection = interpreter.validateUserAction(action);
        if (rejection) throw rejected(rejection);
      },
    },
  );
  wf.setHandler(
    userActionSignal,
    async (action) => {
      await ready();
      const rejection = interpreter!.validateUserAction(action);
      if (rejection) wf.log.warn(`user_action signal ignored: ${rejection.code}: ${rejection.message}`);
      else interpreter!.applyUserAction(action);
    },
    { description: HANDLER_DESCRIPTIONS.userActionSignal },
  );
  const deliver = (delivery: SignalDelivery): Rejection | null => {
    if (!interpreter) {
      early.push(delivery);
      return null;
    }
    const rejection = interpreter.validateSignal(delivery.name, delivery.payload ?? null);
    if (!rejection) interpreter.applySignal(delivery.name, delivery.payload ?? null);
    return rejection;
  };
  wf.setHandler(
    signalUpdate,
    async (delivery) => {
      // Validated against the definition once it is resolved (the validator lets early ones through), as in-process.
      if (!interpreter) await ready();
      const rejection = deliver(delivery);
      if (rejection) throw rejected(rejection);
      return null;
    },
    {
      description: HANDLER_DESCRIPTIONS.signalUpdate,
      validator: ({ name, payload }) => {
        if (!interpreter) return rejectOverCeiling(`signal "${name}"'s payload`, payload ?? null);
        const rejection = interpreter.validateSignal(name, payload ?? null);
        if (rejection) throw rejected(rejection);
      },
    },
  );
  // Domain signals by their declared names (any name is accepted here; undeclared ones are rejected on delivery).
  // Once the definition is pinned, each declared one also has its own handler, with its description (registerDeclaredSignals).
  const onSignal = (name: string, payload: unknown): void => {
    const rejection = deliver({ name, payload: payload ?? null });
    if (rejection) wf.log.warn(`signal ignored: ${rejection.code}: ${rejection.message}`);
  };
  wf.setDefaultSignalHandler((name, ...args) => onSignal(name, args[0]));

  const definition = start.definition ?? (await resolveDefinition(start.slug));
  if (!definition) {
    final.settle('failed', null);
    throw wf.ApplicationFailure.create({ type: 'RUNBOOK_UNKNOWN', message: `no runbook "${start.slug}" is loaded on the worker`, nonRetryable: true });
  }
  registerDeclaredSignals(definition.runbook, onSignal);
  // A scheduled start carries the input template (a Schedule's arguments are fixed): evaluated once, here, at the fire time.
  // Only starts with `schedule` (new since issue 13) take this path, so no recorded history changes and no patch is needed.
  let input: unknown = start.input;
  if (start.schedule && !start.snapshot) {
    const scheduled = await scheduledInput(definition.runbook, start.schedule, scheduledFireTime(), wf.workflowInfo().workflowId);
    if (!scheduled.ok) {
      final.settle('failed', null);
      throw wf.ApplicationFailure.create({ type: scheduled.code, message: scheduled.message, nonRetryable: true });
    }
    input = scheduled.input;
  }
  const metadata = RunMetadata.of(definition.runbook, input);
  wf.setCurrentDetails(metadata.details());
  if (!start.snapshot) {
    const tooLarge = rejectInputSize(definition.runbook, input);
    if (tooLarge && patches.has(PATCH.sizeLimits)) {
      final.settle('failed', null);
      throw wf.ApplicationFailure.create({ type: tooLarge.code, message: `input for ${start.slug}: ${tooLarge.message}`, nonRetryable: true });
    }
    const problems = rejectInput(definition.runbook, input);
    if (problems) final.settle('failed', null);
    if (problems) throw wf.ApplicationFailure.create({ type: 'INPUT_INVALID', message: `input for ${start.slug}: ${problems}`, nonRetryable: true });
  }
  const runId = wf.workflowInfo().workflowId;
  const continueWith = (snapshot: RunSnapshot): InterpreterWorkflowInput => ({ slug: start.slug, input, definition, snapshot, ...(start.origin ? { origin: start.origin } : {}) });
  const services = new TemporalServices({ runId, slug: definition.runbook.slug, definitionHash: definition.hash }, continueWith, WORKFLOW_TYPE, patches);
  const run = new RunbookInterpreter(
    // firstExecutionRunId: the same on replay, after continue-as-new, a workflow retry or a reset; a new run started
    // with this workflow id (after this one closed) has its own, so it commits anew instead of getting this one's versions.
    { runId, executionId: wf.workflowInfo().firstExecutionRunId, definition: definition.runbook, definitionHash: definition.hash, input, snapshot: start.snapshot, expressionLocations: definition.expressionLocations, origin: start.origin },
    services,
  );
  interpreter = run;
  services.inboxSource = () => run.currentUiState();
  services.metadata = metadata;
  for (const delivery of early.splice(0)) {
    const rejection = deliver(delivery);
    if (rejection) wf.log.warn(`signal ignored: ${rejection.code}: ${rejection.message}`);
  }

  try {
    const outcome = await run.run();
    if (outcome.status === 'failed') {
      final.settle('failed', outcome.error.step);
      throw wf.ApplicationFailure.create({ type: outcome.error.type, message: outcome.error.message, nonRetryable: true, details: [outcome.error] });
    }
    // Let accepted updates finish before the run closes.
    await wf.condition(wf.allHandlersFinished);
    final.settle('completed', null);
    return outcome.output;
  } catch (error) {
    if (wf.isCancellation(error)) {
      final.settle('cancelled', metadata.currentStep());
      run.markCancelled();
      metadata.cancelled();
      wf.setCurrentDetails(metadata.details());
    }
    throw error;
  }
}
