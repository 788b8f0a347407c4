/** `review`: the seed's wait_for_action — approve / reject / correct, each with its transition. */
import type { ReviewOutcome, ReviewStep, Transition } from '../../format/runbook-format.ts';
import { parseDuration } from '../durations.ts';
import type { StepScope } from '../step-scope.ts';
import type { ReviewResult, UserAction } from '../run-state.ts';
import { FAILURE } from '../step-failure.ts';
import { interpolateTransition, outcomeOf, type StepOutcome } from '../transitions.ts';

const DEFAULT_OUTCOMES: Record<ReviewOutcome, Transition> = {
  approved: 'continue',
  rejected: { fail: 'Rejected at review' },
  corrected: 'continue',
};

/** The outcomes a review accepts, in a fixed order. */
export function allowedOutcomes(step: ReviewStep): ReviewOutcome[] {
  const declared = step.review.outcomes;
  const all: ReviewOutcome[] = ['approved', 'rejected', 'corrected'];
  return declared ? all.filter((outcome) => declared[outcome] !== undefined) : all;
}

/** A review takes review outcomes only (action-rules.ts refuses `answered` and `declined` there): a narrowing, not a check of input. */
function asReviewAction(action: UserAction): UserAction & { readonly action: ReviewOutcome } {
  if (action.action === 'answered' || action.action === 'declined') throw new Error(`a review received an agent's ${action.action} (action-rules accepts none)`);
  return { ...action, action: action.action };
}

export async function executeReview(step: ReviewStep, scope: StepScope): Promise<StepOutcome> {
  const spec = step.review;
  const payload = await scope.evaluate(spec.payload ?? null);
  const displayHint = await scope.evaluate(spec.display_hint ?? null);
  const reason = spec.reason === undefined ? null : String(await scope.evaluate(spec.reason));
  const deadlineMs = spec.deadline ? parseDuration(spec.deadline.after) : undefined;
  scope.setPending(
    { action: spec.action ?? 'review', display_hint: displayHint, reason, step: step.id, kind: 'review', payload, outcomes: allowedOutcomes(step) },
    // The deadline is `after` from the moment the review waits (`since`): one clock reading for both.
    { correctionsSchema: spec.corrections, deadlineAfterMs: deadlineMs },
  );
  const answer = await scope.awaitUserAction(deadlineMs);
  const action: UserAction & { readonly action: ReviewOutcome } = answer ? asReviewAction(answer) : { action: spec.deadline!.outcome, payload: null, corrections: null };
  if (!answer) scope.recordDecision(undefined, action.action);
  scope.clearPending(answer ? `user_action:${action.action}` : 'deadline');
  scope.record.last_actor = action.actor ?? null;
  // The decision record: who decided what and why ($steps.<review>.actor in the runbook's output); when is on the timeline.
  const result: ReviewResult = {
    action: action.action,
    payload: action.payload ?? payload,
    corrections: action.corrections ?? null,
    actor: action.actor ?? null,
    comment: action.comment ?? null,
  };
  const declared = spec.outcomes ? spec.outcomes[action.action] : DEFAULT_OUTCOMES[action.action];
  const transition = declared ?? DEFAULT_OUTCOMES[action.action];
  const resolved = await interpolateTransition(transition, (value) => scope.evaluate(value, { result }));
  return outcomeOf(resolved, step.id, FAILURE.rejected, result);
}
