/**
 * `child`: run another runbook by slug, once or once per item (fan-out, joined,
 * bounded concurrency). Child run ids derive from the parent's id, the step id,
 * its iteration and the item index, so they are stable on replay.
 */
import type { ChildStep } from '../../format/runbook-format.ts';
import type { ChildView } from '../run-state.ts';
import type { ChildStarted } from '../runtime-services.ts';
import type { StepScope } from '../step-scope.ts';
import { FAILURE, StepFailure } from '../step-failure.ts';
import { routeFailure, type StepOutcome } from '../transitions.ts';

const DEFAULT_CONCURRENCY = 10;

export function childRunId(runId: string, stepId: string, iteration: number, index: number): string {
  return `${runId}/${stepId}${iteration > 0 ? `.${iteration}` : ''}/${index}`;
}

async function itemsOf(step: ChildStep, scope: StepScope): Promise<unknown[] | undefined> {
  if (step.child.for_each === undefined) return undefined;
  const items = await scope.evaluate(step.child.for_each);
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) {
    throw new StepFailure(`step "${step.id}": for_each evaluated to ${typeof items}, not a list`, FAILURE.forEachNotList, true);
  }
  return items;
}

/** A failure that `on_error` may route although the children never ran: an expression over its limit (new, so no recorded run depends on it failing the step). */
const routableBeforeStart = (failure: StepFailure): boolean => failure.type === FAILURE.expressionLimit;

export async function executeChild(step: ChildStep, scope: StepScope): Promise<StepOutcome> {
  let items: unknown[] | undefined;
  try {
    items = await itemsOf(step, scope);
  } catch (error) {
    if (!(error instanceof StepFailure) || !routableBeforeStart(error)) throw error;
    const routed = await routeFailure(step.child.on_error, error, step.id, (value, extra) => scope.evaluate(value, extra));
    if (!routed) throw error;
    return routed;
  }
  const count = items?.length ?? 1;
  const views: ChildView[] = [];
  const outputs: unknown[] = new Array<unknown>(count);
  /** `routable`: a failing child is routed by `on_error`; a child that could not start (bad input, unknown runbook) is not, unless its input expression went over a limit. */
  let firstFailure: { index: number; failure: StepFailure; routable: boolean } | undefined;
  let next = 0;

  const recordFailure = (index: number, failure: StepFailure, routable: boolean): void => {
    if (!firstFailure || index < firstFailure.index) firstFailure = { index, failure, routable };
  };

  const runOne = async (index: number): Promise<void> => {
    const extra = items ? { item: items[index], index } : {};
    const runId = childRunId(scope.runId, step.id, scope.record.iteration, index);
    let started: ChildStarted;
    try {
      const input = await scope.evaluate(step.child.input ?? {}, extra);
      scope.checkPayloadSize(`the input of child ${step.child.runbook}[${index}]`, input);
      started = await scope.services.startChild({
        slug: step.child.runbook, input, childRunId: runId, stepId: step.id, index,
        origin: { started_by: scope.startedBy, parent: { run_id: scope.runId, runbook: scope.slug, step: step.id, index, count } },
      });
    } catch (error) {
      // A child that cannot start fails the fan-out like one that fails: the other lanes start no
      // more children, and the ones in flight are awaited (not left running after the step ended).
      if (!(error instanceof StepFailure)) throw error;
      recordFailure(index, error, routableBeforeStart(error));
      return;
    }
    views[index] = { id: `${step.id}[${index}]`, run_id: runId, title: started.title, status: 'running' };
    scope.setChildren(views.filter(Boolean));
    try {
      outputs[index] = await started.result;
      views[index] = { ...views[index], status: 'completed' };
    } catch (error) {
      views[index] = { ...views[index], status: 'failed' };
      if (!(error instanceof StepFailure)) throw error;
      recordFailure(index, error, true);
    }
    scope.setChildren(views.filter(Boolean));
  };

  const lane = async (): Promise<void> => {
    while (next < count && !firstFailure) await runOne(next++);
  };
  const lanes = Math.min(step.child.concurrency ?? DEFAULT_CONCURRENCY, count);
  await Promise.all(Array.from({ length: lanes }, lane));

  if (firstFailure) {
    const { failure, routable } = firstFailure;
    if (!routable) throw failure;
    const routed = await routeFailure(step.child.on_error, failure, step.id, (value, extra) => scope.evaluate(value, extra));
    if (!routed) throw failure;
    return routed;
  }
  return { next: 'continue', result: items ? outputs : outputs[0] };
}
