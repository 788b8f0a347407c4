/**
 * `wait`: the seed's await_signal_with_action. Signals are buffered from the start of
 * the run; the first payload of the named signals that no wait took, no go-back discarded
 * (signal-delivery.ts) and that satisfies `until` is consumed and becomes the result.
 */
import type { WaitStep } from '../../format/runbook-format.ts';
import { parseDuration } from '../durations.ts';
import type { ReceivedSignal } from '../run-state.ts';
import type { StepScope } from '../step-scope.ts';
import { FAILURE } from '../step-failure.ts';
import { interpolateTransition, outcomeOf, type StepOutcome } from '../transitions.ts';
import { waitedSignals } from '../signal-delivery.ts';

async function findMatch(step: WaitStep, scope: StepScope, names: string[]): Promise<ReceivedSignal | undefined> {
  for (const signal of scope.signals) {
    if (signal.consumed || signal.discarded || !names.includes(signal.name)) continue;
    if (step.wait.until === undefined) return signal;
    if ((await scope.evaluate(step.wait.until, { signal: signal.payload, signal_name: signal.name })) === true) return signal;
  }
  return undefined;
}

export async function executeWait(step: WaitStep, scope: StepScope): Promise<StepOutcome> {
  const spec = step.wait;
  const names = waitedSignals(step);
  const displayHint = await scope.evaluate(spec.display_hint ?? null);
  const reason = spec.reason === undefined ? null : String(await scope.evaluate(spec.reason));
  const deadlineAt = spec.deadline ? scope.services.now() + parseDuration(spec.deadline.after) : undefined;
  let advertised = false;
  for (;;) {
    const seen = scope.signals.length;
    const match = await findMatch(step, scope, names);
    if (match) {
      match.consumed = true;
      if (advertised) scope.clearPending(`signal:${match.name}`);
      return { next: 'continue', result: match.payload };
    }
    if (!advertised) {
      scope.setPending({ action: spec.action, display_hint: displayHint, reason, step: step.id, kind: 'signal', signals: names }, { deadlineAt });
      advertised = true;
    }
    const remaining = deadlineAt === undefined ? undefined : Math.max(0, deadlineAt - scope.services.now());
    const arrived = await scope.awaitSignalAfter(seen, remaining);
    if (!arrived && deadlineAt !== undefined && spec.deadline) {
      scope.clearPending('deadline');
      const transition = await interpolateTransition(spec.deadline.then, (value) => scope.evaluate(value));
      return outcomeOf(transition, step.id, FAILURE.deadline, null);
    }
  }
}
