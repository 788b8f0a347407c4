/**
 * Drives one in-process run of a (mutated) runbook to its end, as a scripted person would:
 * answers every review and wait it can (of the run and its children), moves a simulated clock
 * one timer at a time whenever nothing else can happen, and classifies how the run ended.
 * A run that can only wait for something the script cannot give is cancelled (`waiting`);
 * one with nothing to wait for that never ends is `stalled`; one past its wall-clock bound is
 * `timeout`. Anything that is not a coded outcome is `internal`.
 */
import type { PendingAction } from '../../interpreter/core/index.ts';
import { HandlerRegistry, type AnyHandler } from '../../interpreter/handlers/index.ts';
import { StaticDefinitions, type ResolvedDefinition } from '../../interpreter/runtime/definition-source.ts';
import { LocalRuntime, type LocalRunHandle } from '../../interpreter/runtime/local/index.ts';
import { hasEnded } from '../../interpreter/runtime/run-handle.ts';
import { ActionRejectedError, RunCancelledError, RunFailedError, StartRejectedError } from '../../interpreter/runtime/runtime-errors.ts';
import type { SeededRandom } from './seeded-random.ts';
import { StepClock } from './step-clock.ts';

export type RunVerdict =
  | { readonly kind: 'completed' }
  | { readonly kind: 'failed'; readonly type: string; readonly step: string | null; readonly message: string }
  | { readonly kind: 'start-rejected'; readonly code: string }
  | { readonly kind: 'waiting'; readonly step: string }
  | { readonly kind: 'stalled' | 'timeout' | 'internal' | 'untyped-failure' | 'hang' | 'crash'; readonly detail: string };

/** Verdicts that are bugs (or, for `timeout`/`hang`, a run the interpreter did not bound). */
export const BAD_VERDICTS: ReadonlySet<RunVerdict['kind']> = new Set(['stalled', 'timeout', 'internal', 'untyped-failure', 'hang', 'crash']);

/** A stable, machine-readable code: `PERIOD_CLOSED`, `EXPRESSION_FAILED`; not `Error` or `TypeError`. */
export const isCoded = (type: string): boolean => /^[A-Z][A-Z0-9_]*$/.test(type);

export interface MutantRun {
  readonly definition: ResolvedDefinition;
  /** The other runbooks children may name. */
  readonly others: readonly ResolvedDefinition[];
  readonly input: unknown;
  readonly handlers: readonly AnyHandler[];
  /** Signal payloads by signal name (others get `{}`). */
  readonly signalSamples: Readonly<Record<string, unknown>>;
  readonly random: SeededRandom;
  /** Wall-clock bound for the whole run. */
  readonly boundMs: number;
}

const CORRECTIONS: readonly unknown[] = [{ lines: [{ account: '1000', debit: 12450, credit: 0 }] }, { memo: 'Corrected' }, {}, { note: 'checked' }];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}\n${(error.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(error);

function counting(handlers: readonly AnyHandler[], inflight: { count: number }): HandlerRegistry {
  return new HandlerRegistry(
    handlers.map((handler) => ({
      ...handler,
      async run(input, context) {
        inflight.count += 1;
        try {
          return await handler.run(input, context);
        } finally {
          inflight.count -= 1;
        }
      },
    })),
  );
}

function verdictOf(error: unknown): RunVerdict {
  if (error instanceof RunFailedError) {
    const { type, step, message } = error.failure;
    return isCoded(type) ? { kind: 'failed', type, step, message } : { kind: 'untyped-failure', detail: `step ${step}: ${type}: ${message}` };
  }
  return { kind: 'internal', detail: `the run's result rejected with ${describeError(error)}` };
}

async function answer(run: LocalRunHandle, pending: PendingAction, options: MutantRun, tries: number): Promise<void> {
  const r = options.random;
  if (pending.kind === 'signal') {
    const name = r.pick(pending.signals?.length ? pending.signals : ['unknown_signal']);
    const payload = tries === 0 && r.chance(0.15) ? { garbage: true } : (options.signalSamples[name] ?? {});
    return run.signal(name, payload);
  }
  const outcomes = pending.outcomes?.length ? pending.outcomes : ['approved' as const];
  const roll = r.next();
  const preferred = tries > 0 || roll < 0.6 ? 'approved' : roll < 0.8 ? 'corrected' : 'rejected';
  const action = outcomes.includes(preferred) ? preferred : r.pick(outcomes);
  return run.userAction({ action, step: pending.step, ...(action === 'corrected' ? { corrections: r.pick(CORRECTIONS) } : {}) });
}

/** Answers one pending action of any run of the runtime; true if it did, a verdict if answering broke. */
async function answerOne(runtime: LocalRuntime, answered: Map<string, number>, options: MutantRun, until: number): Promise<boolean | RunVerdict> {
  for (const run of runtime.list()) {
    const state = run.interpreter.currentUiState();
    if (hasEnded(state) || !state.pending_action || !run.interpreter.settled) continue;
    const key = `${run.runId}@${state.version}`;
    const tries = answered.get(key) ?? 0;
    if (tries >= 3) continue;
    answered.set(key, tries + 1);
    try {
      const done = answer(run, state.pending_action, options, tries).then(() => true);
      const late = sleep(Math.max(0, until - Date.now())).then(() => false);
      if (!(await Promise.race([done, late]))) return { kind: 'timeout', detail: `answering ${state.pending_action.step} of ${run.runId} did not return` };
    } catch (error) {
      if (error instanceof ActionRejectedError && isCoded(error.code)) continue;
      return { kind: 'internal', detail: `answering ${state.pending_action.step} of ${run.runId}: ${describeError(error)}` };
    }
    return true;
  }
  return false;
}

function describeRuns(runtime: LocalRuntime): string {
  return runtime
    .list()
    .map((run) => {
      const state = run.interpreter.currentUiState();
      return `${run.runId}: ${state.status} at ${state.current_step ?? '-'}${state.pending_action ? ` (pending ${state.pending_action.action})` : ''}`;
    })
    .join('; ');
}

export async function driveMutantRun(options: MutantRun): Promise<RunVerdict> {
  const clock = new StepClock();
  const inflight = { count: 0 };
  const runtime = new LocalRuntime({ definitions: new StaticDefinitions([options.definition, ...options.others]), handlers: counting(options.handlers, inflight), clock });
  let root: LocalRunHandle;
  try {
    root = runtime.start(options.definition, options.input);
  } catch (error) {
    if (error instanceof StartRejectedError) return { kind: 'start-rejected', code: error.code };
    return { kind: 'internal', detail: `start threw ${describeError(error)}` };
  }
  let ended: RunVerdict | undefined;
  void root.result().then(
    () => (ended = { kind: 'completed' }),
    (error: unknown) => (ended = error instanceof RunCancelledError ? { kind: 'internal', detail: 'cancelled by nobody' } : verdictOf(error)),
  );
  const until = Date.now() + options.boundMs;
  const answered = new Map<string, number>();
  let idle = 0;
  let busySince: number | undefined;
  let stopped: RunVerdict | undefined;
  while (!ended && !stopped) {
    await tick();
    if (ended) break;
    if (Date.now() > until) stopped = { kind: 'timeout', detail: `still running after ${options.boundMs} ms: ${describeRuns(runtime)}` };
    const acted = stopped ? false : await answerOne(runtime, answered, options, until);
    if (typeof acted === 'object') stopped = acted;
    if (stopped || acted || ended) {
      idle = 0;
      continue;
    }
    // A handler at work: give it time before moving the clock (which may fire its timeout).
    if (inflight.count > 0 && Date.now() - (busySince ??= Date.now()) < 250) {
      await sleep(1);
      continue;
    }
    busySince = undefined;
    if (clock.fireNext()) {
      idle = 0;
      continue;
    }
    if (++idle < 25) {
      await sleep(2);
      continue;
    }
    const waiting = runtime.list().find((run) => run.interpreter.currentUiState().pending_action && !hasEnded(run.interpreter.currentUiState()));
    stopped = waiting
      ? { kind: 'waiting', step: waiting.interpreter.currentUiState().pending_action!.step }
      : { kind: 'stalled', detail: `nothing in flight, no timer, no pending action: ${describeRuns(runtime)}` };
  }
  if (stopped) {
    await Promise.race([Promise.all(runtime.list().map((run) => run.cancel())), sleep(1_000)]);
  }
  const verdict = stopped ?? ended!;
  if (clock.invalidDelays.length > 0 && !BAD_VERDICTS.has(verdict.kind)) {
    return { kind: 'internal', detail: `the runtime asked for timers of ${clock.invalidDelays.join(', ')} ms (verdict was ${verdict.kind})` };
  }
  return verdict;
}
