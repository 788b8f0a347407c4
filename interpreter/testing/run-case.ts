/**
 * Runs one case on a TestRuntime. Only the RunHandle interface is used, and waits are driven
 * by polling `currentPendingAction()` (on Temporal only queries are available), so the same
 * case runs in-process and on Temporal.
 */
import type { PendingAction, StepView, TimelineEntry, UnconsumedSignal, UserAction } from '../core/index.ts';
import type { RunHandle } from '../runtime/run-handle.ts';
import type { ScriptItem, StartSignal } from './case-format.ts';
import type { TestCase } from './load-case.ts';
import type { AgentCall } from './mock-agents.ts';
import type { HandlerCall } from './mock-handlers.ts';
import type { CommittedDocument } from '../core/document-types.ts';
import type { TestRuntime } from './test-runtime.ts';

/** What a case's run produced, in a form the expectations compare against. */
export interface CaseRunResult {
  readonly status: 'completed' | 'failed' | 'cancelled' | 'timed_out';
  readonly output?: unknown;
  readonly error?: { readonly step: string | null; readonly type: string; readonly message: string };
  /** Final `current_steps`. */
  readonly steps: readonly StepView[];
  /** Final `current_ui_state.unconsumed_signals`, without their times (which differ between runtimes). */
  readonly unconsumed_signals: readonly Omit<UnconsumedSignal, 'received_at'>[];
  /** Each pending action seen, in order; an unchanged one is reported once until the runner acts on it. */
  readonly pending_actions: readonly PendingAction[];
  /** Every handler call in the run's tree (each attempt is one). */
  readonly calls: readonly HandlerCall[];
  /** Every turn an agent was asked for in the run's tree (new tasks, answers, cancellations). */
  readonly agent_calls: readonly AgentCall[];
  /** What the run's tree committed into the case's document store, in commit order (seeds excluded). */
  readonly documents: readonly CommittedDocument[];
  /** Script items never applied, rejections that did not happen or were unexpected. Empty when the script went as written. */
  readonly script_problems: readonly string[];
  readonly elapsed_ms: number;
  /** Final `current_ui_state`: who started the run, its identity fields, and its timeline (oldest first). */
  readonly started_by: string | null;
  readonly identity: Readonly<Record<string, unknown>>;
  readonly timeline: readonly TimelineEntry[];
}

export interface RunCaseOptions {
  /** Poll interval of `currentPendingAction()`. Default 25 ms. */
  readonly pollMs?: number;
  /** Result timeout when the case gives none. Default 10000 ms. */
  readonly timeoutMs?: number;
  /** The run id (default: derived from the case id, unique per call). */
  readonly runId?: string;
}

type Settled = { status: 'completed'; output: unknown } | { status: 'failed' | 'cancelled'; error?: CaseRunResult['error'] };

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = (error: unknown): unknown => (error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined);
const pendingKey = (pending: PendingAction): string => `${pending.kind}:${pending.step}:${pending.action}`;

/** A failed run: an error carrying `failure: {step, type, message}` (RunFailedError); cancelled: code RUN_CANCELLED. */
function settledFromError(error: unknown): Settled {
  const failure = error !== null && typeof error === 'object' ? (error as { failure?: CaseRunResult['error'] }).failure : undefined;
  if (failure && typeof failure.type === 'string') return { status: 'failed', error: { step: failure.step ?? null, type: failure.type, message: failure.message } };
  if (codeOf(error) === 'RUN_CANCELLED') return { status: 'cancelled' };
  throw error;
}

const describeItem = (item: ScriptItem | StartSignal): string => JSON.stringify(item);

/** Sends an item; resolves with the rejection code, or undefined when it was accepted. */
async function send(handle: RunHandle, item: ScriptItem | StartSignal): Promise<string | undefined> {
  try {
    if ('signal' in item) await handle.signal(item.signal, item.payload ?? null);
    else {
      const action = {
        action: item.action, step: item.action_step ?? item.step, payload: item.payload, corrections: item.corrections,
        ...(item.actor === undefined ? {} : { actor: item.actor }), ...(item.comment === undefined ? {} : { comment: item.comment }),
      };
      // Not a cast of validated data: the action may be invalid on purpose (ACTION_INVALID cases).
      await handle.userAction(action as UserAction);
    }
    return undefined;
  } catch (error) {
    const code = codeOf(error);
    if (typeof code !== 'string') throw error;
    return code;
  }
}

/** Sends one item (and its duplicates, at once); whether it was accepted, recording a problem when that is not what the case expects. */
async function apply(handle: RunHandle, item: ScriptItem | StartSignal, problems: string[]): Promise<boolean> {
  const copies = 'duplicates' in item && item.duplicates ? item.duplicates + 1 : 1;
  const codes = await Promise.all(Array.from({ length: copies }, () => send(handle, item)));
  const accepted = codes.filter((code) => code === undefined).length;
  if (copies > 1) {
    const refused = codes.filter((code) => code !== undefined);
    if (accepted !== 1 || refused.some((code) => code !== 'NO_PENDING_ACTION')) {
      problems.push(`${describeItem(item)}: sent ${copies} times at once, expected one accepted and the rest NO_PENDING_ACTION, got ${JSON.stringify(codes.map((code) => code ?? 'accepted'))}`);
    }
    return accepted > 0;
  }
  const rejection = codes[0];
  if (item.expect_rejection !== undefined && rejection !== item.expect_rejection) {
    problems.push(`${describeItem(item)}: expected rejection ${item.expect_rejection}, ${rejection ? `got ${String(rejection)}` : 'it was accepted'}`);
  } else if (item.expect_rejection === undefined && rejection !== undefined) {
    problems.push(`${describeItem(item)}: unexpectedly rejected with ${String(rejection)}`);
  }
  return rejection === undefined;
}

/** A run id for a case: its id made safe, and a random tail. */
export function caseRunId(testCase: TestCase): string {
  const base = testCase.id.replace(/\.test\.ya?ml$|\.ya?ml$/i, '').replace(/[^a-z0-9-]+/gi, '-').replace(/^-+|-+$/g, '').slice(-60);
  return `test-${base}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Runs one case: start, start signals, the script (each item when its step is pending), the
 * result, with a timeout after which the run is cancelled.
 *
 * @example
 * const result = await runTestCase(runtime, testCase);
 * const verdict = compareCase(result, testCase.expect);
 */
export async function runTestCase(runtime: TestRuntime, testCase: TestCase, options: RunCaseOptions = {}): Promise<CaseRunResult> {
  const pollMs = options.pollMs ?? 25;
  const timeoutMs = testCase.timeoutMs ?? options.timeoutMs ?? 10_000;
  const runId = options.runId ?? caseRunId(testCase);
  const routed = runtime.handlers.attach(runId, testCase.mocks);
  const agentsRouted = runtime.agents.attach(runId, testCase.agentMocks);
  let documents: Awaited<ReturnType<TestRuntime['documents']['attach']>> | undefined;
  try {
    documents = await runtime.documents.attach(runId, testCase.documents);
    const started = Date.now();
    const handle = await runtime.start(testCase.definitions, testCase.slug, testCase.input, runId, testCase.startedBy === undefined ? {} : { startedBy: testCase.startedBy });
    const problems: string[] = [];
    // A holder, not a `let`: it is set from the promise callbacks.
    const state: { settled?: Settled; at?: number } = {};
    const outcome = handle.result().then(
      (output): void => void Object.assign(state, { settled: { status: 'completed', output }, at: Date.now() }),
      (error: unknown): void => void Object.assign(state, { settled: settledFromError(error), at: Date.now() }),
    );
    for (const signal of testCase.signals) await apply(handle, signal, problems);

    const seen: PendingAction[] = [];
    const script = [...testCase.script];
    let lastKey: string | null = null;
    let timedOut = false;
    while (!state.settled) {
      const pending = await handle.currentPendingAction();
      if (pending && pendingKey(pending) !== lastKey) seen.push(pending);
      lastKey = pending ? pendingKey(pending) : null;
      const item = script[0];
      if (pending && item && item.step === pending.step) {
        script.shift();
        const accepted = await apply(handle, item, problems);
        // An accepted user action resolves that review: the next time it is pending is a new pending action.
        if (accepted && !('signal' in item)) lastKey = null;
        continue;
      }
      if (Date.now() - started > timeoutMs) {
        timedOut = true;
        break;
      }
      await Promise.race([outcome, delay(pollMs)]);
    }
    if (timedOut) {
      const pending = await handle.currentPendingAction();
      problems.push(`no result within ${timeoutMs} ms; pending: ${pending ? pendingKey(pending) : 'nothing'}`);
      await handle.cancel().catch(() => undefined);
    }
    for (const item of script) problems.push(`${describeItem(item)}: never applied (step "${item.step}" was not pending)`);
    const elapsed = (state.at ?? Date.now()) - started;
    const { steps, unconsumed_signals, started_by, identity, timeline } = await handle.currentUiState();
    const final: Settled = timedOut || !state.settled ? { status: 'cancelled' } : state.settled;
    return {
      status: timedOut ? 'timed_out' : final.status,
      ...(final.status === 'completed' ? { output: final.output } : {}),
      ...('error' in final && final.error ? { error: final.error } : {}),
      steps: [...steps],
      unconsumed_signals: (unconsumed_signals ?? []).map(({ received_at: _at, ...signal }) => signal),
      pending_actions: seen,
      calls: [...routed.calls],
      agent_calls: [...agentsRouted.calls],
      documents: [...documents.committed()],
      script_problems: problems,
      elapsed_ms: elapsed,
      started_by: started_by ?? null,
      identity: { ...identity },
      timeline: [...(timeline ?? [])],
    };
  } finally {
    routed.detach();
    agentsRouted.detach();
    await documents?.detach();
  }
}
