/**
 * The signal delivery policy (docs/format.md, "Signal delivery"), the same on every runtime:
 *
 * - a wait takes payloads that arrive after it was entered, and on its first entry also those
 *   that arrived earlier (buffered);
 * - a go-back (goto) that returns to a wait already entered discards the payloads of that wait's
 *   signals that arrived before the go-back, unless the wait says `keep_earlier_signals: true`;
 * - a payload no wait takes stays recorded (`$signals`, `current_ui_state.unconsumed_signals`) and
 *   is never taken later by surprise.
 *
 * Pure functions over the run's records. Sandbox-safe.
 */
import type { Step, WaitStep } from '../format/runbook-format.ts';
import type { ReceivedSignal, StepRecord, UnconsumedSignal } from './run-state.ts';

export function waitedSignals(step: WaitStep): string[] {
  return Array.isArray(step.wait.signal) ? step.wait.signal : [step.wait.signal];
}

const isWait = (step: Step): step is WaitStep => 'wait' in step;

/**
 * The payloads a go-back over `range` (the steps it re-runs, records not yet reset) discards: the
 * unconsumed ones of every signal an already-entered wait of the range waits for, unless a wait of
 * the range that waits for it keeps earlier signals.
 */
export function discardOnGoBack(range: readonly Step[], records: Readonly<Record<string, StepRecord>>, signals: readonly ReceivedSignal[]): ReceivedSignal[] {
  const discarded = new Set<string>();
  const kept = new Set<string>();
  for (const step of range) {
    if (!isWait(step)) continue;
    const names = waitedSignals(step);
    if (step.wait.keep_earlier_signals === true) names.forEach((name) => kept.add(name));
    // A wait never entered (skipped, or not reached) has its first entry still ahead: it takes earlier payloads.
    else if (records[step.id].iteration >= 0) names.forEach((name) => discarded.add(name));
  }
  return signals.filter((signal) => !signal.consumed && !signal.discarded && discarded.has(signal.name) && !kept.has(signal.name));
}

/** Received payloads no wait has taken, and whether a wait still ahead (the current step or a later one) may take each. */
export function unconsumedSignals(
  steps: readonly Step[],
  records: Readonly<Record<string, StepRecord>>,
  signals: readonly ReceivedSignal[],
  running: boolean,
): UnconsumedSignal[] {
  const ahead = new Set<string>();
  if (running) {
    for (const step of steps) {
      const status = records[step.id].status;
      if (isWait(step) && (status === 'pending' || status === 'running' || status === 'waiting')) waitedSignals(step).forEach((name) => ahead.add(name));
    }
  }
  const out: UnconsumedSignal[] = [];
  signals.forEach((signal, index) => {
    if (signal.consumed) return;
    const state = signal.discarded ? 'discarded' : ahead.has(signal.name) ? 'waiting' : 'unclaimed';
    out.push({ name: signal.name, index, received_at: signal.at === undefined ? null : new Date(signal.at).toISOString(), bytes: signal.bytes ?? 0, state });
  });
  return out;
}
