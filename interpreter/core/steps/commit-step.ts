/** `commit`: store a named, keyed, versioned document; idempotent by (execution, step, iteration). Failures are routed by `on_error`. Sandbox-safe. */
import type { CommitStep } from '../../format/runbook-format.ts';
import { DOCUMENT_ACTIVITY, DOCUMENT_FAILURE, type DocumentCommit } from '../document-types.ts';
import { checkAgainstSchema } from '../payload-checker.ts';
import type { StepScope } from '../step-scope.ts';
import { StepFailure } from '../step-failure.ts';
import { routeFailure, type StepOutcome } from '../transitions.ts';
import { callStore, checkedKey } from './document-calls.ts';

export async function executeCommit(step: CommitStep, scope: StepScope): Promise<StepOutcome> {
  try {
    return await commitOnce(step, scope);
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    const routed = await routeFailure(step.commit.on_error, error, step.id, (value, extra) => scope.evaluate(value, extra));
    if (!routed) throw error;
    return routed;
  }
}

async function commitOnce(step: CommitStep, scope: StepScope): Promise<StepOutcome> {
  const spec = step.commit;
  const key = checkedKey(scope, 'key', await scope.evaluate(spec.key));
  const value = (await scope.evaluate(spec.value)) ?? null;
  const problems = checkAgainstSchema(spec.schema, value);
  if (problems) throw new StepFailure(`step "${step.id}": the value of document ${spec.document} does not match its schema: ${problems}`, DOCUMENT_FAILURE.invalid, true);
  scope.checkPayloadSize(`the value of document ${spec.document}`, value);
  const entry: DocumentCommit = {
    document: spec.document,
    key,
    value,
    run_id: scope.runId,
    execution_id: scope.executionId,
    step_id: step.id,
    iteration: scope.record.iteration,
    runbook: scope.slug,
    definition_hash: scope.definitionHash,
    actor: scope.lastReviewer(),
    committed_at: new Date(scope.services.now()).toISOString(),
  };
  return { next: 'continue', result: await callStore(scope, DOCUMENT_ACTIVITY.commit, entry) };
}
