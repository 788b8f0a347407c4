/**
 * The interpreter: executes one runbook run, step by step, on any runtime.
 * Holds the run's observable state and answers the seed's queries; validates and
 * applies user actions and signals. Sandbox-safe: no Node built-ins, no I/O.
 */
import type { Runbook, Step } from '../format/runbook-format.ts';
import type { ExpressionContext } from '../expressions/template.ts';
import { resolveExpressionLimits } from '../expressions/expression-limits.ts';
import { evaluateBounded, type EvaluationBounds } from './bounded-evaluation.ts';
import type { RunEvent } from './run-events.ts';
import type { RuntimeServices, RunStart } from './runtime-services.ts';
import type { ChildView, ExcludedActor, PendingAction, ReceivedSignal, RunFailure, RunOrigin, RunOutcome, RunSnapshot, RunStatus, StepRecord, StepView, TimelineEntry, UiState, UserAction } from './run-state.ts';
import { identityOf } from './run-identity.ts';
import { rejectUnfairAction } from './decision-rules.ts';
import { SIZE_ERROR, jsonBytes, payloadTooLarge, sizeLimitsOf, stateTooLarge, type SizeLimits } from './size-limits.ts';
import { PATCH } from './patches.ts';
import { discardOnGoBack, unconsumedSignals } from './signal-delivery.ts';
import type { StepScope } from './step-scope.ts';
import { FAILURE, StepFailure } from './step-failure.ts';
import { executeStep } from './steps/execute-step.ts';
import { routeFailure, type StepOutcome } from './transitions.ts';
import { rejectUserAction, rejectSignal, type Rejection } from './action-rules.ts';
import { StateVersion } from './state-version.ts';

const DEFAULT_MAX_GO_BACKS = 10;
/** The timeline keeps its last entries: a run that loops for long does not grow its state without bound. */
const TIMELINE_ENTRIES = 500;

/** The latest instant a Date can hold (ECMAScript: ±8.64e15 ms); a deadline beyond it (a huge duration) has no date to show. */
const MAX_DATE_MS = 8.64e15;
/** ISO 8601 of the run's clock; a simulated clock that jumped past what a Date holds (a huge timer) shows the last instant. */
const iso = (ms: number): string => new Date(Number.isFinite(ms) ? Math.min(MAX_DATE_MS, Math.max(-MAX_DATE_MS, ms)) : MAX_DATE_MS).toISOString();
const deadlineIso = (ms: number): string | null => (Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? iso(ms) : null);

export class RunbookInterpreter {
  readonly runId: string;
  /** This execution (RunStart.executionId): what a commit is idempotent by. */
  readonly executionId: string;
  readonly definition: Runbook;
  readonly definitionHash: string;
  private readonly input: unknown;
  private readonly services: RuntimeServices;
  private readonly records: Record<string, StepRecord>;
  /** Every step result by id, kept in step order as results change: `$steps` without a rebuild per expression. */
  private readonly results: Record<string, unknown> = {};
  private readonly signals: ReceivedSignal[];
  private pc: number;
  private goBacks: number;
  private status: RunStatus = 'running';
  private failure: RunFailure | null = null;
  private pending: PendingAction | null = null;
  private correctionsSchema: object | undefined;
  private answer: UserAction | undefined;
  private readonly version: StateVersion;
  private readonly limits: SizeLimits;
  /** The runbook's expression limits and where its expressions are (bounded-evaluation.ts). */
  private readonly bounds: EvaluationBounds;
  /** Bytes of JSON of the input and of each step result: the run's state size without re-measuring it (size-limits.ts). */
  private readonly inputBytes: number;
  private readonly resultBytes: Record<string, number> = {};
  private readonly origin: RunOrigin;
  private readonly identity: Record<string, unknown>;
  private readonly startedAt: number;
  private readonly timeline: TimelineEntry[];
  private endedAt: number | null = null;
  private output: unknown = undefined;

  constructor(start: RunStart, services: RuntimeServices) {
    this.runId = start.runId;
    this.executionId = start.executionId ?? start.runId;
    this.definition = start.definition;
    this.definitionHash = start.definitionHash;
    this.input = start.input;
    this.services = services;
    const snapshot = start.snapshot;
    this.pc = snapshot?.pc ?? 0;
    this.goBacks = snapshot?.goBacks ?? 0;
    this.signals = snapshot?.signals.map((signal) => ({ ...signal })) ?? [];
    this.version = new StateVersion(snapshot?.version ?? 0);
    this.limits = sizeLimitsOf(this.definition);
    this.bounds = { limits: resolveExpressionLimits(this.definition.limits), locations: start.expressionLocations, patched: (id) => services.patched(id) };
    this.inputBytes = jsonBytes(this.input);
    this.origin = start.origin ?? {};
    this.identity = identityOf(this.definition, this.input);
    this.startedAt = snapshot?.startedAt ?? services.now();
    this.timeline = snapshot?.timeline?.map((entry) => ({ ...entry })) ?? [];
    if (!snapshot) this.note({ type: 'run.started', actor: this.origin.started_by ?? null });
    this.records = {};
    for (const step of this.definition.steps) {
      const record = snapshot?.steps[step.id] ?? { status: 'pending', iteration: -1 };
      this.records[step.id] = record;
      if (record.result !== undefined) {
        this.results[step.id] = record.result;
        this.resultBytes[step.id] = resultSize(step, record.result);
      }
    }
  }

  /** Runs to the end. Resolves with the outcome; a cancellation propagates as the runtime's error. */
  async run(): Promise<RunOutcome> {
    const steps = this.definition.steps;
    while (this.pc < steps.length) {
      await this.services.betweenSteps(() => this.snapshot());
      const step = steps[this.pc];
      const outcome = await this.runStep(step);
      if (outcome.next === 'continue') this.pc += 1;
      else if (outcome.next === 'goto') {
        const failure = this.goBack(step, outcome.target);
        if (failure) {
          // The step's transition could not be taken: the step failed, not only the run.
          this.records[step.id].status = 'failed';
          this.emit({ type: 'step.failed', stepId: step.id, error: failure });
          return this.fail(failure);
        }
      } else return this.fail(outcome.failure);
    }
    return this.complete();
  }

  /**
   * A step's `when`. Over an expression limit, the step's own `on_error` (call, child) may route
   * it like the step's failure: the route's outcome is returned instead of a boolean.
   */
  private async evaluateWhen(step: Step, scope: StepScope): Promise<unknown> {
    try {
      return await scope.evaluate(step.when);
    } catch (error) {
      if (!(error instanceof StepFailure) || error.type !== FAILURE.expressionLimit) throw error;
      const routes = 'call' in step && step.call ? step.call.on_error : 'child' in step && step.child ? step.child.on_error : undefined;
      const routed = await routeFailure(routes, error, step.id, (value, extra) => scope.evaluate(value, extra));
      if (!routed) throw error;
      throw new RoutedWhen(routed);
    }
  }

  private async runStep(step: Step): Promise<StepOutcome> {
    const record = this.records[step.id];
    const scope = this.scopeFor(step, record);
    let outcome: StepOutcome;
    try {
      if (step.when !== undefined && (await this.evaluateWhen(step, scope)) !== true) {
        record.status = 'skipped';
        this.emit({ type: 'step.skipped', stepId: step.id });
        return { next: 'continue', result: undefined };
      }
      record.iteration += 1;
      record.status = 'running';
      delete record.result;
      delete this.results[step.id];
      delete this.resultBytes[step.id];
      this.emit({ type: 'step.started', stepId: step.id, iteration: record.iteration });
      outcome = await executeStep(step, scope);
    } catch (error) {
      if (error instanceof RoutedWhen) {
        outcome = error.outcome;
      } else {
        if (!(error instanceof StepFailure)) throw error;
        outcome = { next: 'fail', failure: error.toRunFailure(step.id) };
      }
    }
    // Results only ever appear at the current step, after every earlier one: `results` stays in step order.
    if ('result' in outcome && outcome.result !== undefined) {
      record.result = this.results[step.id] = outcome.result;
      this.resultBytes[step.id] = resultSize(step, outcome.result);
      const state = this.stateBytes();
      if (state > this.limits.stateBytes && outcome.next !== 'fail' && this.services.patched(PATCH.sizeLimits)) {
        const message = `step "${step.id}": ${stateTooLarge('its result', this.resultBytes[step.id], state, this.limits.stateBytes)}`;
        outcome = { next: 'fail', failure: { step: step.id, type: SIZE_ERROR.state, message } };
      }
    }
    if (outcome.next === 'fail') {
      record.status = 'failed';
      this.emit({ type: 'step.failed', stepId: step.id, error: outcome.failure });
    } else {
      record.status = 'completed';
      this.emit({ type: 'step.completed', stepId: step.id, result: record.result ?? null });
    }
    return outcome;
  }

  private goBack(from: Step, target: string): RunFailure | undefined {
    const index = this.definition.steps.findIndex((step) => step.id === target);
    if (index < 0 || index > this.pc) return { step: from.id, type: FAILURE.goBackLimit, message: `step "${from.id}": cannot go back to "${target}"` };
    const limit = this.definition.max_go_backs ?? DEFAULT_MAX_GO_BACKS;
    if (this.goBacks >= limit) {
      return { step: from.id, type: FAILURE.goBackLimit, message: `step "${from.id}": the run went back ${this.goBacks} times, the limit is ${limit}` };
    }
    this.goBacks += 1;
    const range = this.definition.steps.slice(index, this.pc + 1);
    // Before the records are reset: which waits of the range were entered (a go-back re-enters them).
    const discard = discardOnGoBack(range, this.records, this.signals);
    if (discard.length > 0 && this.services.patched(PATCH.signalDelivery)) for (const signal of discard) signal.discarded = true;
    for (const step of range) {
      const record = this.records[step.id];
      record.status = 'pending';
      delete record.result;
      delete this.results[step.id];
      delete this.resultBytes[step.id];
      delete record.children;
    }
    this.pc = index;
    return undefined;
  }

  /** The run's state in bytes of JSON: input, step results and received signal payloads. */
  private stateBytes(): number {
    let total = this.inputBytes;
    for (const bytes of Object.values(this.resultBytes)) total += bytes;
    for (const signal of this.signals) total += signal.bytes ?? 0;
    return total;
  }

  private async complete(): Promise<RunOutcome> {
    let output: unknown;
    try {
      output = this.definition.output === undefined ? this.stepResults() : await evaluateBounded(this.definition.output, this.context(), null, this.bounds);
    } catch (error) {
      if (error instanceof StepFailure) return this.fail({ step: null, type: error.type, message: error.message });
      return this.fail({ step: null, type: FAILURE.expression, message: `output: ${describeError(error)}` });
    }
    this.status = 'completed';
    this.output = output ?? null;
    this.endedAt = this.services.now();
    this.version.settle(true);
    this.emit({ type: 'run.completed', output: output ?? null });
    return { status: 'completed', output: output ?? null };
  }

  private fail(failure: RunFailure): RunOutcome {
    this.status = 'failed';
    this.failure = failure;
    this.pending = null;
    this.endedAt = this.services.now();
    this.version.settle(true);
    this.emit({ type: 'run.failed', error: failure });
    return { status: 'failed', error: failure };
  }

  /** Marks the run cancelled (the runtime calls this when a cancellation propagates). */
  markCancelled(): void {
    this.status = 'cancelled';
    this.pending = null;
    this.endedAt = this.services.now();
    this.note({ type: 'run.cancelled' });
    this.version.settle(true);
    this.version.changed();
  }

  /** True once the run has reacted to every accepted action and signal (the waiting step re-checked). */
  get settled(): boolean {
    return this.version.settled;
  }

  /** Calls `listener` after every change of the run's state (in-process watchers; the workflow re-checks its conditions itself). */
  watch(listener: () => void): () => void {
    return this.version.watch(listener);
  }

  private stepResults(): Record<string, unknown> {
    return { ...this.results };
  }

  private context(extra: Partial<ExpressionContext> = {}): ExpressionContext {
    const signals: Record<string, unknown[]> = {};
    for (const name of Object.keys(this.definition.signals ?? {})) signals[name] = [];
    for (const signal of this.signals) (signals[signal.name] ??= []).push(signal.payload);
    return { input: this.input, steps: this.results, signals, run: { id: this.runId, slug: this.definition.slug }, now: this.services.now(), ...extra };
  }

  private scopeFor(step: Step, record: StepRecord): StepScope {
    const self = this;
    return {
      runId: this.runId,
      executionId: this.executionId,
      slug: this.definition.slug,
      definitionHash: this.definitionHash,
      lastReviewer() {
        for (let i = self.timeline.length - 1; i >= 0; i--) if (self.timeline[i].type === 'action.taken') return self.timeline[i].actor ?? null;
        return null;
      },
      step,
      record,
      services: this.services,
      startedBy: this.origin.started_by ?? null,
      signals: this.signals,
      limits: this.limits,
      checkPayloadSize(field, value) {
        const bytes = jsonBytes(value);
        if (bytes > self.limits.payloadBytes && self.services.patched(PATCH.sizeLimits)) {
          throw new StepFailure(`step "${step.id}": ${payloadTooLarge(field, bytes, self.limits.payloadBytes)}`, SIZE_ERROR.payload, true);
        }
      },
      async evaluate(value, extra) {
        try {
          return await evaluateBounded(value, self.context(extra), step.id, self.bounds);
        } catch (error) {
          if (error instanceof StepFailure) throw error;
          throw new StepFailure(`step "${step.id}": expression failed: ${describeError(error)}`, FAILURE.expression, true);
        }
      },
      setPending(pending, options = {}) {
        const now = self.services.now();
        const commentRequired = 'review' in step && step.review ? step.review.comment_required : undefined;
        const excluded = self.excludedActors(step);
        self.pending = {
          ...pending,
          step_title: step.title,
          since: iso(now),
          deadline: options.deadlineAt !== undefined ? deadlineIso(options.deadlineAt) : options.deadlineAfterMs !== undefined ? deadlineIso(now + options.deadlineAfterMs) : null,
          ...(commentRequired ? { comment_required: [...commentRequired] } : {}),
          ...(excluded ? { excluded_actors: excluded } : {}),
        };
        self.correctionsSchema = options.correctionsSchema;
        self.answer = undefined;
        record.status = 'waiting';
        self.emit({ type: 'step.waiting', stepId: step.id, pending: self.pending });
      },
      clearPending(by) {
        self.pending = null;
        self.correctionsSchema = undefined;
        record.status = 'running';
        self.version.settle(true);
        self.emit({ type: 'step.resumed', stepId: step.id, by });
      },
      async awaitUserAction(timeoutMs) {
        await self.services.waitFor(() => self.answer !== undefined, timeoutMs);
        // Not `arrived ? answer : undefined`: an action accepted after the deadline fired but before this
        // resumed was acknowledged to its caller (the review was still pending), so it is the answer.
        const answer = self.answer;
        self.answer = undefined;
        return answer;
      },
      awaitSignalAfter(seen, timeoutMs) {
        // Every signal received so far has been matched against the wait: it has been taken in.
        if (self.signals.length === seen) self.version.settle();
        return self.services.waitFor(() => self.signals.length > seen, timeoutMs);
      },
      setChildren(children: ChildView[]) {
        record.children = children;
      },
      recordDecision(action, outcome) {
        self.note({ type: 'action.taken', step: step.id, outcome, actor: action?.actor ?? null, comment: action?.comment ?? null, ...(action ? {} : { message: 'the deadline passed: its default outcome' }) });
      },
      recordRetry(attempt, error) {
        record.attempts = attempt;
        self.note({ type: 'step.retrying', step: step.id, attempt, error_type: error.type, message: error.message });
        self.version.changed();
      },
    };
  }

  private emit(event: { type: RunEvent['type'] } & Record<string, unknown>): void {
    const full = { ...event, runId: this.runId, at: this.services.now() } as RunEvent;
    this.record(full);
    this.services.emit(full);
    this.version.changed();
  }

  /** Step timings and the timeline, from the run's own events. */
  private record(event: RunEvent): void {
    const record = 'stepId' in event ? this.records[event.stepId] : undefined;
    switch (event.type) {
      case 'step.started': {
        record!.started_at = event.at;
        delete record!.ended_at;
        const step = this.definition.steps.find((candidate) => candidate.id === event.stepId);
        if (step && 'call' in step && step.call) record!.attempts = 1;
        else delete record!.attempts;
        return this.note({ type: 'step.started', step: event.stepId }, event.at);
      }
      case 'step.completed':
        record!.ended_at = event.at;
        return this.note({ type: 'step.completed', step: event.stepId }, event.at);
      case 'step.failed':
        record!.ended_at = event.at;
        return this.note({ type: 'step.failed', step: event.stepId, error_type: event.error.type, message: event.error.message }, event.at);
      case 'step.skipped':
        return this.note({ type: 'step.skipped', step: event.stepId }, event.at);
      case 'step.waiting':
        return this.note({ type: 'step.waiting', step: event.stepId, message: event.pending.reason ?? undefined }, event.at);
      case 'run.completed':
        return this.note({ type: 'run.completed' }, event.at);
      case 'run.failed':
        return this.note({ type: 'run.failed', step: event.error.step ?? undefined, error_type: event.error.type, message: event.error.message }, event.at);
      default:
        return;
    }
  }

  private note(entry: Omit<TimelineEntry, 'at'>, at: number = this.services.now()): void {
    const clean = Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as Omit<TimelineEntry, 'at'>;
    this.timeline.push({ at: iso(at), ...clean });
    if (this.timeline.length > TIMELINE_ENTRIES) this.timeline.splice(0, this.timeline.length - TIMELINE_ENTRIES);
  }

  /** Who a review's separation of duties excludes now: the starter, the last actors of the named steps. */
  private excludedActors(step: Step): ExcludedActor[] | undefined {
    const rules = 'review' in step && step.review ? step.review.separation_of_duties : undefined;
    if (!rules) return undefined;
    const excluded: ExcludedActor[] = [];
    if (rules.exclude_starter && this.origin.started_by) excluded.push({ actor: this.origin.started_by, because: 'started the run' });
    for (const id of rules.exclude_actors_of ?? []) {
      const actor = this.records[id]?.last_actor;
      if (actor) excluded.push({ actor, because: `acted on step "${id}"` });
    }
    return excluded;
  }

  // --- queries (the seed's names) ---

  snapshot(): RunSnapshot {
    return {
      pc: this.pc, goBacks: this.goBacks, steps: structuredCopy(this.records), signals: this.signals.map((s) => ({ ...s })), version: this.version.current,
      startedAt: this.startedAt, timeline: this.timeline.map((entry) => ({ ...entry })),
    };
  }

  /** A copy: what a caller does with it never reaches the run (on Temporal a query result is serialized anyway). */
  currentPendingAction(): PendingAction | null {
    return this.pending && structuredCopy(this.pending);
  }

  currentSteps(): StepView[] {
    return this.definition.steps.map((step) => {
      const record = this.records[step.id];
      const view: StepView = {
        id: step.id, title: step.title, status: record.status, icon: step.icon ?? null,
        started_at: record.started_at === undefined ? null : iso(record.started_at),
        ended_at: record.ended_at === undefined ? null : iso(record.ended_at),
        iteration: Math.max(0, record.iteration),
        ...(record.attempts === undefined ? {} : { attempts: record.attempts }),
      };
      return record.children ? { ...view, children: record.children.map((child) => ({ ...child })) } : view;
    });
  }

  currentUiState(): UiState {
    const current = this.definition.steps.find((step) => ['running', 'waiting'].includes(this.records[step.id].status));
    const status: RunStatus = this.status === 'running' && this.pending ? 'waiting' : this.status;
    return {
      run_id: this.runId,
      runbook: this.definition.slug,
      title: this.definition.title,
      status,
      current_step: current?.id ?? null,
      pending_action: this.currentPendingAction(),
      steps: this.currentSteps(),
      error: this.failure && { ...this.failure },
      unconsumed_signals: unconsumedSignals(this.definition.steps, this.records, this.signals, this.status === 'running'),
      started_by: this.origin.started_by ?? null,
      started_at: iso(this.startedAt),
      ended_at: this.endedAt === null ? null : iso(this.endedAt),
      parent: this.origin.parent ?? null,
      identity: { ...this.identity },
      ...(this.status === 'completed' ? { output: structuredCopy(this.output) } : {}),
      timeline: this.timeline.map((entry) => ({ ...entry })),
      version: this.version.current,
    };
  }

  // --- user_action and signals: validate first (changes nothing), then apply ---

  /** Why this user action would be rejected, or null if it is acceptable. Pure. */
  validateUserAction(action: unknown): Rejection | null {
    const tooLarge = this.rejectSize('the user action', action, 1);
    if (tooLarge) return tooLarge;
    const rejection = rejectUserAction(action, this.pending, this.correctionsSchema) ?? rejectUnfairAction(action as UserAction, this.pending);
    // A late duplicate of an answer (the run already moved on to the next review, as it can under Temporal
    // when the copies reach the run in separate tasks) is refused like an early one: nothing waits there any more.
    if (rejection?.code === 'WRONG_STEP') {
      const stepId = (action as { step?: string }).step;
      const step = this.definition.steps.find((candidate) => candidate.id === stepId);
      if (step && 'review' in step && this.records[step.id]?.status === 'completed') {
        return { code: 'NO_PENDING_ACTION', message: `step "${step.id}" is no longer waiting: its review was answered` };
      }
    }
    return rejection;
  }

  /** Applies a user action that `validateUserAction` accepted. */
  applyUserAction(action: UserAction): void {
    // The review is answered from now on: a second action before the step resumes is
    // refused (NO_PENDING_ACTION) instead of silently replacing this one.
    const step = this.pending?.step;
    this.pending = null;
    this.answer = action;
    this.note({ type: 'action.taken', step, outcome: action.action, actor: action.actor ?? null, comment: action.comment ?? null });
    this.version.accepted(true);
    this.services.notify();
  }

  validateSignal(name: string, payload: unknown): Rejection | null {
    return rejectSignal(this.definition, name, payload) ?? this.rejectSize(`signal "${name}"'s payload`, payload, 1);
  }

  /**
   * A payload over the payload limit, or one that would bring the run's state over its limit. Refused before it
   * enters the run (on Temporal, by the Update's validator: before it enters history). `copies`: how many times
   * the state will hold it.
   */
  private rejectSize(field: string, value: unknown, copies: number): Rejection | null {
    const bytes = jsonBytes(value);
    if (bytes > this.limits.payloadBytes) return { code: SIZE_ERROR.payload, message: payloadTooLarge(field, bytes, this.limits.payloadBytes) };
    const state = this.stateBytes() + bytes * copies;
    if (state > this.limits.stateBytes) return { code: SIZE_ERROR.state, message: stateTooLarge(field, bytes, state, this.limits.stateBytes) };
    return null;
  }

  applySignal(name: string, payload: unknown): void {
    this.signals.push({ name, payload, consumed: false, at: this.services.now(), bytes: jsonBytes(payload) });
    this.note({ type: 'signal.received', signal: name });
    // A wait on signals re-checks what arrived; until it has, its pending action may be stale.
    this.version.accepted(this.pending?.kind === 'signal');
    this.services.notify();
  }
}

/** jsonata throws plain objects `{code, message, position}`, not Errors: keep their code and message. */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error !== null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    const { code, message } = error as { code?: unknown; message: string };
    return typeof code === 'string' ? `${code}: ${message}` : message;
  }
  return String(error);
}

/** A wait's result is the signal payload it took, already counted with the signals: it adds nothing to the state. */
function resultSize(step: Step, result: unknown): number {
  return 'wait' in step ? 0 : jsonBytes(result);
}

function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A `when` over its limit that the step's `on_error` routed: carries the route's outcome out of the evaluation. */
class RoutedWhen {
  constructor(readonly outcome: StepOutcome) {}
}
