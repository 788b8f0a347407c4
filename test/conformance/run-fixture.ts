/**
 * The runtime-agnostic conformance runner. It only uses the RunHandle interface and
 * a factory, and drives waits by polling `currentPendingAction()` (on Temporal only
 * queries are available), so the same cases run in-process and on Temporal.
 */
import type { PendingAction, StepView, UserAction } from '../../interpreter/core/index.ts';
import type { ResolvedDefinition } from '../../interpreter/runtime/definition-source.ts';
import type { RunHandle } from '../../interpreter/runtime/run-handle.ts';
import type { ConformanceCase } from './load-cases.ts';
import type { ScriptItem, StartSignal } from './fixture-format.ts';

/** What a runtime supplies to the suite. */
export interface ConformanceRuntime {
  readonly name: string;
  /** Starts `slug` (one of `definitions`, which also holds its children) with a caller-chosen run id. */
  start(definitions: readonly ResolvedDefinition[], slug: string, input: unknown, runId: string): Promise<RunHandle>;
  close(): Promise<void>;
}

/** What a case run produced, in a form the expectations compare against. */
export interface FixtureResult {
  readonly status: 'completed' | 'failed' | 'cancelled' | 'timed_out';
  readonly output?: unknown;
  readonly error?: { readonly step: string | null; readonly type: string; readonly message: string };
  /** Final `current_steps`. */
  readonly steps: readonly StepView[];
  /** Each pending action seen, in order; an unchanged one is reported once until the runner acts on it. */
  readonly pending_actions: readonly PendingAction[];
  /** Script items never applied, rejections that did not happen or were unexpected. Empty when the script went as written. */
  readonly script_problems: readonly string[];
  readonly elapsed_ms: number;
}

export interface RunFixtureOptions {
  /** Poll interval of `currentPendingAction()`. Default 25 ms. */
  readonly pollMs?: number;
  /** Default result timeout when the case gives none. Default 10000 ms. */
  readonly timeoutMs?: number;
}

type Settled = { status: 'completed'; output: unknown } | { status: 'failed' | 'cancelled'; error?: FixtureResult['error'] };

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = (error: unknown): unknown => (error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined);
const pendingKey = (pending: PendingAction): string => `${pending.kind}:${pending.step}:${pending.action}`;

/** A failed run: a RunFailedError (or any error carrying `failure: {step, type, message}`); cancelled: code RUN_CANCELLED. */
function settledFromError(error: unknown): Settled {
  const failure = error !== null && typeof error === 'object' ? (error as { failure?: FixtureResult['error'] }).failure : undefined;
  if (failure && typeof failure.type === 'string') return { status: 'failed', error: { step: failure.step ?? null, type: failure.type, message: failure.message } };
  if (codeOf(error) === 'RUN_CANCELLED') return { status: 'cancelled' };
  throw error;
}

function describeItem(item: ScriptItem | StartSignal): string {
  return JSON.stringify(item);
}

/** Sends an item; resolves with the rejection code, or undefined when it was accepted. */
async function send(handle: RunHandle, item: ScriptItem | StartSignal): Promise<string | undefined> {
  try {
    if ('signal' in item) await handle.signal(item.signal, item.payload ?? null);
    else {
      const action = { action: item.action, step: item.action_step ?? item.step, payload: item.payload, corrections: item.corrections };
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

/** Sends one action or signal (and its duplicates, at once); returns whether it was accepted, recording a problem when that is not what the case expects. */
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

/**
 * Runs one case on a runtime: start, start signals, then the script (each item when
 * its step is pending), then the result, with a timeout after which the run is cancelled.
 */
export async function runFixture(runtime: ConformanceRuntime, testCase: ConformanceCase, options: RunFixtureOptions = {}): Promise<FixtureResult> {
  const pollMs = options.pollMs ?? 25;
  const timeoutMs = testCase.fixture.timeout_ms ?? options.timeoutMs ?? 10_000;
  const runId = `conformance-${testCase.id.replace(/[^a-z0-9-]+/gi, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  const started = Date.now();
  const handle = await runtime.start(testCase.definitions, testCase.slug, testCase.input, runId);
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
  const steps = await handle.currentSteps();
  const final: Settled = timedOut || !state.settled ? { status: 'cancelled' } : state.settled;
  return {
    status: timedOut ? 'timed_out' : final.status,
    ...(final.status === 'completed' ? { output: final.output } : {}),
    ...('error' in final && final.error ? { error: final.error } : {}),
    steps,
    pending_actions: seen,
    script_problems: problems,
    elapsed_ms: elapsed,
  };
}
