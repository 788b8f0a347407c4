/**
 * `child`: run another runbook by slug, once or once per item (fan-out, joined,
 * bounded concurrency). Child run ids derive from the parent's id, the step id,
 * its iteration and the item index, so they are stable on replay.
 */
import type { ChildStep } from '../../format/runbook-format.ts';
import type { ChildView } from '../run-state.ts';
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

export async function executeChild(step: ChildStep, scope: StepScope): Promise<StepOutcome> {
  const items = await itemsOf(step, scope);
  const count = items?.length ?? 1;
  const views: ChildView[] = [];
  const outputs: unknown[] = new Array<unknown>(count);
  let firstFailure: { index: number; failure: StepFailure } | undefined;
  let next = 0;

  const runOne = async (index: number): Promise<void> => {
    const extra = items ? { item: items[index], index } : {};
    const input = await scope.evaluate(step.child.input ?? {}, extra);
    const runId = childRunId(scope.runId, step.id, scope.record.iteration, index);
    const started = await scope.services.startChild({ slug: step.child.runbook, input, childRunId: runId, stepId: step.id, index });
    views[index] = { id: `${step.id}[${index}]`, run_id: runId, title: started.title, status: 'running' };
    scope.setChildren(views.filter(Boolean));
    try {
      outputs[index] = await started.result;
      views[index] = { ...views[index], status: 'completed' };
    } catch (error) {
      views[index] = { ...views[index], status: 'failed' };
      if (!(error instanceof StepFailure)) throw error;
      if (!firstFailure || index < firstFailure.index) firstFailure = { index, failure: error };
    }
    scope.setChildren(views.filter(Boolean));
  };

  const lane = async (): Promise<void> => {
    while (next < count && !firstFailure) await runOne(next++);
  };
  const lanes = Math.min(step.child.concurrency ?? DEFAULT_CONCURRENCY, count);
  await Promise.all(Array.from({ length: lanes }, lane));

  if (firstFailure) {
    const { failure } = firstFailure;
    const routed = await routeFailure(step.child.on_error, failure, step.id, (value, extra) => scope.evaluate(value, extra));
    if (!routed) throw failure;
    return routed;
  }
  return { next: 'continue', result: items ? outputs : outputs[0] };
}
