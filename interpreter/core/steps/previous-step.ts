/** `previous`: the latest committed document that matches; `{found: false}` on a first run unless required. Failures (PREVIOUS_NOT_FOUND, ...) are routed by `on_error`. Sandbox-safe. */
import type { PreviousStep } from '../../format/runbook-format.ts';
import { DOCUMENT_ACTIVITY, DOCUMENT_FAILURE, type DocumentQuery, type PreviousResult } from '../document-types.ts';
import type { StepScope } from '../step-scope.ts';
import { StepFailure } from '../step-failure.ts';
import { routeFailure, type StepOutcome } from '../transitions.ts';
import { callStore, checkedKey } from './document-calls.ts';

export async function executePrevious(step: PreviousStep, scope: StepScope): Promise<StepOutcome> {
  try {
    return await previousOnce(step, scope);
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    const routed = await routeFailure(step.previous.on_error, error, step.id, (value, extra) => scope.evaluate(value, extra));
    if (!routed) throw error;
    return routed;
  }
}

async function previousOnce(step: PreviousStep, scope: StepScope): Promise<StepOutcome> {
  const spec = step.previous;
  const where = checkedKey(scope, 'where', await scope.evaluate(spec.where ?? {}));
  const before = spec.before ? Object.entries(checkedKey(scope, 'before', await scope.evaluate(spec.before)))[0] : undefined;
  const version = spec.version === undefined ? undefined : await scope.evaluate(spec.version);
  if (version !== undefined && !(typeof version === 'number' && Number.isInteger(version) && version >= 1)) {
    throw new StepFailure(`step "${step.id}": version is ${JSON.stringify(version) ?? 'missing'}: a version is a whole number from 1`, DOCUMENT_FAILURE.keyInvalid, true);
  }
  const query: DocumentQuery = {
    document: spec.document,
    where,
    ...(before ? { before: { field: before[0], value: before[1] } } : {}),
    ...(version !== undefined ? { version } : {}),
  };
  const result = (await callStore(scope, DOCUMENT_ACTIVITY.previous, query)) as PreviousResult;
  if (!result.found && spec.required) {
    throw new StepFailure(`step "${step.id}": no committed ${spec.document} matches ${JSON.stringify(query.where)}${query.before ? ` before ${query.before.field} ${JSON.stringify(query.before.value)}` : ''}${version !== undefined ? ` at version ${String(version)}` : ''}`, DOCUMENT_FAILURE.notFound, true);
  }
  return { next: 'continue', result };
}
