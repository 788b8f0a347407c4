/** The one exhaustive dispatch over step kinds. */
import type { Step } from '../../format/runbook-format.ts';
import type { StepScope } from '../step-scope.ts';
import type { StepOutcome } from '../transitions.ts';
import { executeAgent } from './agent-step.ts';
import { executeCall } from './call-step.ts';
import { executeChild } from './child-step.ts';
import { executeCommit } from './commit-step.ts';
import { executePrevious } from './previous-step.ts';
import { executeReview } from './review-step.ts';
import { executeTimer } from './timer-step.ts';
import { executeWait } from './wait-step.ts';

function assertNever(value: never): never {
  throw new Error(`unhandled step kind: ${JSON.stringify(value)}`);
}

export function executeStep(step: Step, scope: StepScope): Promise<StepOutcome> {
  if ('call' in step) return executeCall(step, scope);
  if ('review' in step) return executeReview(step, scope);
  if ('wait' in step) return executeWait(step, scope);
  if ('child' in step) return executeChild(step, scope);
  if ('timer' in step) return executeTimer(step, scope);
  if ('commit' in step) return executeCommit(step, scope);
  if ('previous' in step) return executePrevious(step, scope);
  if ('agent' in step) return executeAgent(step, scope);
  return assertNever(step);
}
